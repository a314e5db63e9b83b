internal import CKafkaOpenSSL

extension TLSEngine {
    /// The protocol version agreed on, such as "TLSv1.3"; nil before the handshake completes.
    package var negotiatedVersion: String? {
        guard isHandshakeComplete, let name = SSL_get_version(ssl) else { return nil }
        return String(cString: name)
    }

    /// The cipher suite agreed on, such as "TLS_AES_256_GCM_SHA384"; nil before the handshake completes.
    package var cipherName: String? {
        guard isHandshakeComplete, let cipher = SSL_get_current_cipher(ssl),
              let name = SSL_CIPHER_get_name(cipher) else { return nil }
        return String(cString: name)
    }

    /// The broker certificate's subject, as "/CN=broker1.example.com", for logs;
    /// nil before the handshake or when the broker sent no certificate.
    package var peerCertificateSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        guard let subject = X509_get_subject_name(certificate),
              let text = X509_NAME_oneline(subject, nil, 0) else { return nil }
        defer { ckafka_OPENSSL_free(text) }
        return String(cString: text)
    }
}
