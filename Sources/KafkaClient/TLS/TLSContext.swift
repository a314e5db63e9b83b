internal import CKafkaOpenSSL

/// OpenSSL settings built once from a `KafkaTLSConfiguration`: trusted CAs, the
/// client certificate and key, versions, ciphers and verification mode.
///
/// Loading certificates and keys happens here, so a bad file or password fails
/// once, up front, rather than on every connection. One context serves every
/// connection of a client, from any thread.
package final class TLSContext: Sendable {
    /// The configuration this context was built from.
    package let configuration: KafkaTLSConfiguration
    /// The `SSL_CTX*`. OpenSSL allows `SSL_new` on a fully configured context from
    /// any thread; it is never modified after `init`, so sharing it is safe.
    nonisolated(unsafe) let context: OpaquePointer

    /// Builds the OpenSSL context for `configuration`.
    ///
    /// - Throws: `.invalidConfiguration` for unreadable or invalid CA, certificate
    ///   or key files (naming the file), a wrong key password, a key that does not
    ///   match the certificate, an invalid cipher list or version range;
    ///   `.tlsFailed` if OpenSSL cannot create a context at all.
    package init(configuration: KafkaTLSConfiguration) throws(KafkaError) {
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw KafkaError(.tlsFailed, detail: "cannot create an OpenSSL context",
                             underlying: OpenSSLErrorQueue.drain(or: "SSL_CTX_new failed"))
        }
        self.configuration = configuration
        self.context = context
        // On a throw below, deinit frees the context.
        try TLSContextSetup(context: context, configuration: configuration).apply()
    }

    deinit {
        SSL_CTX_free(context)
    }
}

/// The steps of configuring a client `SSL_CTX`, in the order OpenSSL needs them.
struct TLSContextSetup {
    let context: OpaquePointer
    let configuration: KafkaTLSConfiguration

    func apply() throws(KafkaError) {
        try applyVersions()
        try applyCiphers()
        try loadTrustRoots()
        try loadClientIdentity()
        let verify = configuration.certificateVerification == .noVerification ? SSL_VERIFY_NONE : SSL_VERIFY_PEER
        SSL_CTX_set_verify(context, verify, nil)
        // No partial writes: the write side is a memory BIO, so SSL_write_ex always
        // encrypts the whole buffer in one call.
        _ = ckafka_SSL_CTX_set_mode(context, Int(SSL_MODE_AUTO_RETRY))
    }

    private func applyVersions() throws(KafkaError) {
        if let maximum = configuration.maximumVersion, maximum < configuration.minimumVersion {
            throw KafkaError(.invalidConfiguration,
                             detail: "TLS maximumVersion \(maximum) is older than minimumVersion \(configuration.minimumVersion)")
        }
        guard ckafka_SSL_CTX_set_min_proto_version(context, Self.protocolNumber(configuration.minimumVersion)) == 1,
              ckafka_SSL_CTX_set_max_proto_version(context, configuration.maximumVersion.map(Self.protocolNumber) ?? 0) == 1
        else {
            throw KafkaError(.invalidConfiguration, detail: "OpenSSL rejected the TLS version range",
                             underlying: OpenSSLErrorQueue.drain())
        }
    }

    private static func protocolNumber(_ version: KafkaTLSConfiguration.TLSVersion) -> Int32 {
        switch version {
        case .tls12: TLS1_2_VERSION
        case .tls13: TLS1_3_VERSION
        }
    }

    private func applyCiphers() throws(KafkaError) {
        if let list = configuration.cipherSuites, SSL_CTX_set_cipher_list(context, list) != 1 {
            throw KafkaError(.invalidConfiguration, detail: "invalid TLS cipher list '\(list)' (cipherSuites)",
                             underlying: OpenSSLErrorQueue.drain())
        }
        if let list = configuration.tls13CipherSuites, SSL_CTX_set_ciphersuites(context, list) != 1 {
            throw KafkaError(.invalidConfiguration, detail: "invalid TLS 1.3 ciphersuites '\(list)' (tls13CipherSuites)",
                             underlying: OpenSSLErrorQueue.drain())
        }
    }

    private func loadTrustRoots() throws(KafkaError) {
        switch configuration.trustRoots {
        case .system:
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw KafkaError(.tlsFailed, detail: "cannot load the system CA store",
                                 underlying: OpenSSLErrorQueue.drain())
            }
        case .pemFile(let path):
            try addTrusted(from: .file(path))
        case .pem(let text):
            try addTrusted(from: .pem(text))
        }
    }

    /// Adds every certificate in `source` to the context's trust store.
    private func addTrusted(from source: KafkaTLSConfiguration.PEMSource) throws(KafkaError) {
        let certificates = try PEMReader(source, role: "CA certificates").certificates()
        let store = SSL_CTX_get_cert_store(context)
        for certificate in certificates {
            defer { X509_free(certificate) }
            guard X509_STORE_add_cert(store, certificate) == 1 else {
                throw KafkaError(.invalidConfiguration, detail: "cannot trust a CA certificate from \(source)",
                                 underlying: OpenSSLErrorQueue.drain())
            }
        }
    }

    private func loadClientIdentity() throws(KafkaError) {
        switch (configuration.certificateChain, configuration.privateKey) {
        case (nil, nil):
            return
        case (.some, nil):
            throw KafkaError(.invalidConfiguration, detail: "TLS certificateChain is set but privateKey is not")
        case (nil, .some):
            throw KafkaError(.invalidConfiguration, detail: "TLS privateKey is set but certificateChain is not")
        case (.some(let chainSource), .some(let keySource)):
            try useCertificateChain(from: chainSource)
            let key = try PEMReader(keySource, role: "private key").privateKey(password: configuration.privateKeyPassword)
            defer { EVP_PKEY_free(key) }
            guard SSL_CTX_use_PrivateKey(context, key) == 1, SSL_CTX_check_private_key(context) == 1 else {
                throw KafkaError(.invalidConfiguration,
                                 detail: "private key \(keySource) does not match certificate \(chainSource)",
                                 underlying: OpenSSLErrorQueue.drain())
            }
        }
    }

    /// The first certificate is the client's own; the rest are sent as its chain.
    private func useCertificateChain(from source: KafkaTLSConfiguration.PEMSource) throws(KafkaError) {
        let certificates = try PEMReader(source, role: "certificate chain").certificates()
        var remaining = certificates[...]
        let leaf = remaining.removeFirst()
        defer { X509_free(leaf) }
        guard SSL_CTX_use_certificate(context, leaf) == 1 else {
            remaining.forEach { X509_free($0) }
            throw KafkaError(.invalidConfiguration, detail: "cannot use the client certificate from \(source)",
                             underlying: OpenSSLErrorQueue.drain())
        }
        while let intermediate = remaining.popFirst() {
            // add0 takes ownership only when it succeeds.
            guard ckafka_SSL_CTX_add0_chain_cert(context, intermediate) == 1 else {
                X509_free(intermediate)
                remaining.forEach { X509_free($0) }
                throw KafkaError(.invalidConfiguration, detail: "cannot add a chain certificate from \(source)",
                                 underlying: OpenSSLErrorQueue.drain())
            }
        }
    }
}
