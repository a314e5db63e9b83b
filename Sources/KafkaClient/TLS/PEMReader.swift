internal import CKafkaOpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Parses PEM certificates and keys from a file or from memory, turning every
/// failure into `.invalidConfiguration` that names the source and OpenSSL's reason.
struct PEMReader {
    let source: KafkaTLSConfiguration.PEMSource
    /// What the PEM is for ("CA certificates", "private key", ...), for messages.
    let role: String

    init(_ source: KafkaTLSConfiguration.PEMSource, role: String) {
        self.source = source
        self.role = role
    }

    /// Every certificate in the source, in order (at least one). The caller frees them.
    func certificates() throws(KafkaError) -> [OpaquePointer] {
        let found: [OpaquePointer] = try withBIO { bio in
            var certificates: [OpaquePointer] = []
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                certificates.append(certificate)
            }
            return certificates
        }
        guard !found.isEmpty else {
            throw KafkaError(.invalidConfiguration, detail: "no PEM certificate found in \(source) (\(role))",
                             underlying: OpenSSLErrorQueue.drain())
        }
        // Reading past the last block always leaves a "no start line" error behind.
        OpenSSLErrorQueue.clear()
        return found
    }

    /// The first private key in the source, decrypted with `password` when it is
    /// encrypted. The caller frees it with `EVP_PKEY_free`.
    func privateKey(password: String?) throws(KafkaError) -> OpaquePointer {
        let key: OpaquePointer? = try withBIO { bio in
            // Always pass a callback: without one OpenSSL prompts on the terminal
            // for the password of an encrypted key.
            let callback: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = {
                buffer, size, _, userData in
                guard let buffer, let userData else { return -1 }
                let password = userData.assumingMemoryBound(to: CChar.self)
                let length = strlen(password)
                guard length <= Int(size) else { return -1 }
                memcpy(buffer, password, length)
                return Int32(length)
            }
            guard let password else { return PEM_read_bio_PrivateKey(bio, nil, callback, nil) }
            return password.withCString { PEM_read_bio_PrivateKey(bio, nil, callback, UnsafeMutableRawPointer(mutating: $0)) }
        }
        guard let key else {
            let hint = password == nil ? " (encrypted without a password given?)" : " (wrong password?)"
            throw KafkaError(.invalidConfiguration, detail: "cannot read the private key from \(source)\(hint)",
                             underlying: OpenSSLErrorQueue.drain())
        }
        return key
    }

    /// Runs `body` with a read BIO over the source.
    private func withBIO<Value>(_ body: (OpaquePointer) -> Value) throws(KafkaError) -> Value {
        OpenSSLErrorQueue.clear()
        switch source {
        case .file(let path):
            // Check first so the error names the path and the system's reason plainly.
            guard access(path, R_OK) == 0 else {
                let reason = String(cString: strerror(errno))
                throw KafkaError(.invalidConfiguration, detail: "cannot read \(role) file \(path)", underlying: reason)
            }
            guard let bio = BIO_new_file(path, "r") else {
                throw KafkaError(.invalidConfiguration, detail: "cannot open \(role) file \(path)",
                                 underlying: OpenSSLErrorQueue.drain())
            }
            defer { BIO_free(bio) }
            return body(bio)
        case .pem(let text):
            let bytes = Array(text.utf8)
            // The memory BIO reads the bytes in place, so it must not outlive this closure.
            let outcome: Value? = bytes.withUnsafeBytes { raw in
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
                defer { BIO_free(bio) }
                return body(bio)
            }
            guard let outcome else {
                throw KafkaError(.invalidConfiguration, detail: "cannot read \(role) from in-memory PEM",
                                 underlying: OpenSSLErrorQueue.drain())
            }
            return outcome
        }
    }
}
