internal import CKafkaOpenSSL

extension TLSEngine {
    /// Hands bytes read from the socket to OpenSSL. They are copied, so the
    /// caller may reuse its read buffer at once.
    package func receivedCiphertext(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            // A memory BIO grows to take everything; it fails only when memory runs out.
            let written = BIO_write(networkIn, base + offset, Int32(clamping: bytes.count - offset))
            guard written > 0 else { return }
            offset += Int(written)
        }
    }

    /// Appends all plaintext that the ciphertext received so far decrypts to.
    ///
    /// - Returns: the number of bytes appended; 0 means more ciphertext is needed.
    ///   Drain `takeCiphertext` afterwards: reading can produce replies (TLS 1.3 key updates).
    /// - Throws: `.connectionClosed` once the broker's close_notify has been read (after
    ///   any plaintext before it was returned); `.tlsFailed` for anything else.
    package func readPlaintext(into buffer: inout [UInt8]) throws(KafkaError) -> Int {
        var total = 0
        while true {
            OpenSSLErrorQueue.clear()
            // Decrypt into the engine's reused scratch buffer, then copy once into the caller's.
            var count = 0
            let result = scratch.withUnsafeMutableBytes { raw in
                SSL_read_ex(ssl, raw.baseAddress, raw.count, &count)
            }
            if result == 1 {
                buffer.append(contentsOf: scratch[0..<count])
                total += count
                continue
            }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return total
            case SSL_ERROR_ZERO_RETURN:
                // Hand out the data that came before close_notify first; the next call throws.
                if total > 0 { return total }
                throw KafkaError(.connectionClosed, detail: "\(peerName) closed the TLS session (close_notify)")
            default:
                throw failure(doing: "read")
            }
        }
    }

    /// Appends all plaintext the ciphertext received so far decrypts to, even when a
    /// close_notify or a failure follows it in the same read.
    ///
    /// - Returns: nil while the session is open; else why it ended (`.connectionClosed`
    ///   for the broker's close_notify, `.tlsFailed` for anything else), to report once
    ///   the plaintext before it has been handled.
    package func decryptAvailable(into buffer: inout [UInt8]) -> KafkaError? {
        do {
            while try readPlaintext(into: &buffer) > 0 {}
            return nil
        } catch {
            return error
        }
    }

    /// Encrypts all of `bytes` into outgoing ciphertext (drain `takeCiphertext` to send it).
    ///
    /// - Throws: `.tlsFailed` if the session failed or the handshake is not complete.
    package func writePlaintext(_ bytes: UnsafeRawBufferPointer) throws(KafkaError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            OpenSSLErrorQueue.clear()
            var written = 0
            let result = SSL_write_ex(ssl, base + offset, bytes.count - offset, &written)
            if result == 1 {
                offset += written
                continue
            }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                // The write BIO never blocks, so OpenSSL is waiting for the broker: the
                // handshake has not finished. Kafka brokers do not renegotiate.
                throw KafkaError(.tlsFailed, detail: "TLS write to \(peerName) before the handshake completed",
                                 underlying: OpenSSLErrorQueue.drain())
            case SSL_ERROR_ZERO_RETURN:
                throw KafkaError(.connectionClosed, detail: "\(peerName) closed the TLS session (close_notify)")
            default:
                throw failure(doing: "write")
            }
        }
    }

    /// True when ciphertext is waiting to be sent to the broker.
    package var hasPendingCiphertext: Bool { BIO_ctrl_pending(networkOut) > 0 }

    /// Appends all ciphertext waiting to be sent to the broker, and forgets it.
    package func takeCiphertext(into buffer: inout [UInt8]) {
        while BIO_ctrl_pending(networkOut) > 0 {
            let read = scratch.withUnsafeMutableBytes { raw in
                BIO_read(networkOut, raw.baseAddress, Int32(clamping: raw.count))
            }
            guard read > 0 else { return }
            buffer.append(contentsOf: scratch[0..<Int(read)])
        }
    }

    private func failure(doing operation: String) -> KafkaError {
        KafkaError(.tlsFailed, detail: "TLS \(operation) with \(peerName) failed",
                   underlying: OpenSSLErrorQueue.drain(or: "no reason given by OpenSSL"))
    }
}
