internal import CKafkaOpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The client side of one TLS session, run over two memory BIOs so that TLS
/// never touches the socket: the I/O loop feeds bytes it read from the socket
/// in with `receivedCiphertext`, and sends whatever `takeCiphertext` hands out.
///
/// Every call may queue ciphertext (handshake messages, alerts, TLS 1.3 key
/// updates, close_notify), so the owner drains `takeCiphertext` after each one.
/// See `TLSEngine+IO.swift` for the data path.
///
/// `@unchecked Sendable`: an engine belongs to exactly one connection and is
/// used by one thread at a time (the connection's I/O thread); it may be created
/// on one thread and handed over to another, but never used concurrently.
package final class TLSEngine: @unchecked Sendable {
    /// The `SSL*`; it owns both BIOs.
    let ssl: OpaquePointer
    /// Ciphertext received from the broker, read by OpenSSL.
    let networkIn: OpaquePointer
    /// Ciphertext OpenSSL produced for the broker.
    let networkOut: OpaquePointer
    /// The name used for SNI and the certificate check (the override, if configured).
    package let peerName: String
    /// Keeps the configuration (and the `SSL_CTX`) alive as long as the session.
    let context: TLSContext

    /// Where `SSL_read_ex` and `BIO_read` put their output before it is appended to the
    /// caller's buffer: allocated once per engine, a few TLS records' worth.
    var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    /// Starts a client session to `serverName` (the broker's host name or IP literal,
    /// IPv6 with or without brackets). Sends SNI for host names, and unless
    /// verification is relaxed, checks the certificate against the name or IP.
    ///
    /// - Throws: `.tlsFailed` if OpenSSL cannot create the session,
    ///   `.invalidConfiguration` if the name cannot be used for SNI or verification.
    package init(context: TLSContext, serverName: String) throws(KafkaError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.context) else {
            throw KafkaError(.tlsFailed, detail: "cannot create a TLS session", underlying: OpenSSLErrorQueue.drain())
        }
        guard let networkIn = BIO_new(BIO_s_mem()), let networkOut = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw KafkaError(.tlsFailed, detail: "cannot create TLS memory buffers", underlying: OpenSSLErrorQueue.drain())
        }
        // An empty memory BIO reports "retry" (not end of file), which SSL_* turn into WANT_READ.
        SSL_set_bio(ssl, networkIn, networkOut)
        SSL_set_connect_state(ssl)
        self.ssl = ssl
        self.networkIn = networkIn
        self.networkOut = networkOut
        self.context = context
        var name = context.configuration.serverNameOverride ?? serverName
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        self.peerName = name
        try configurePeerIdentity()
    }

    deinit {
        SSL_free(ssl)
    }

    private func configurePeerIdentity() throws(KafkaError) {
        let isIPLiteral = IPLiteral.isIPLiteral(peerName)
        // RFC 6066 forbids IP literals in SNI.
        if !isIPLiteral, !peerName.isEmpty, ckafka_SSL_set_tlsext_host_name(ssl, peerName) != 1 {
            throw KafkaError(.invalidConfiguration, detail: "cannot use '\(peerName)' as TLS server name",
                             underlying: OpenSSLErrorQueue.drain())
        }
        guard context.configuration.certificateVerification == .fullVerification else { return }
        let parameters = SSL_get0_param(ssl)
        let accepted: Bool
        if isIPLiteral {
            accepted = X509_VERIFY_PARAM_set1_ip_asc(parameters, peerName) == 1
        } else {
            // "*.example.com" may match "a.example.com", never "a*.example.com".
            X509_VERIFY_PARAM_set_hostflags(parameters, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            accepted = !peerName.isEmpty && X509_VERIFY_PARAM_set1_host(parameters, peerName, 0) == 1
        }
        guard accepted else {
            throw KafkaError(.invalidConfiguration, detail: "cannot verify the broker certificate against '\(peerName)'",
                             underlying: OpenSSLErrorQueue.drain())
        }
    }

    /// Advances the handshake with the ciphertext received so far.
    ///
    /// - Returns: true once the handshake is complete; false when it needs more
    ///   ciphertext from the broker. Either way, drain `takeCiphertext` afterwards.
    /// - Throws: `.tlsFailed` saying why (for a rejected certificate, OpenSSL's
    ///   verification reason such as "Hostname mismatch"); `.connectionClosed`
    ///   if the broker closed the session.
    package func handshake() throws(KafkaError) -> Bool {
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return true }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return false
        case SSL_ERROR_ZERO_RETURN:
            throw KafkaError(.connectionClosed, detail: "\(peerName) closed the TLS session during the handshake")
        default:
            throw handshakeFailure()
        }
    }

    /// True once the handshake has completed.
    package var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    private func handshakeFailure() -> KafkaError {
        let queued = OpenSSLErrorQueue.drain()
        let verifyResult = SSL_get_verify_result(ssl)
        if verifyResult != Int(X509_V_OK) {
            let reason = String(cString: X509_verify_cert_error_string(verifyResult))
            return KafkaError(.tlsFailed, detail: "certificate verification of \(peerName) failed: \(reason)",
                              underlying: [reason, queued].compactMap { $0 }.joined(separator: "; "))
        }
        return KafkaError(.tlsFailed, detail: "TLS handshake with \(peerName) failed",
                          underlying: queued ?? "no reason given by OpenSSL")
    }

    /// Queues a close_notify alert (drain `takeCiphertext` to send it). Does
    /// nothing before the handshake has completed.
    package func shutdown() {
        guard isHandshakeComplete else { return }
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }
}

/// Tells IP literals from host names, which get SNI and a DNS-name check instead.
enum IPLiteral {
    static func isIPLiteral(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET, text, &address) == 1 || inet_pton(AF_INET6, text, &address) == 1
    }
}
