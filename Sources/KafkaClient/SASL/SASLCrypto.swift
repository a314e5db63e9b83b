internal import CKafkaOpenSSL

/// The hash functions, HMAC, PBKDF2 and randomness SASL mechanisms need, from OpenSSL.
enum SASLCrypto {
    /// A SHA-2 digest SCRAM is defined over.
    enum Digest: Sendable, Hashable {
        case sha256, sha512

        var length: Int { self == .sha256 ? 32 : 64 }

        fileprivate var evp: OpaquePointer? { self == .sha256 ? EVP_sha256() : EVP_sha512() }
    }

    /// A crypto call failed; callers wrap this into their own error.
    struct Failure: Error {
        let function: String
    }

    static func hash(_ digest: Digest, _ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digest.length)
        var length: UInt32 = 0
        // OpenSSL rejects null pointers even for zero lengths, so always pass storage.
        let input = bytes.isEmpty ? [0] : bytes
        let ok = input.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                EVP_Digest(source.baseAddress, bytes.count, target.baseAddress, &length, digest.evp, nil)
            }
        }
        guard ok == 1, Int(length) == digest.length else { throw Failure(function: "EVP_Digest") }
        return out
    }

    static func hmac(_ digest: Digest, key: [UInt8], _ message: [UInt8]) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digest.length)
        var length: UInt32 = 0
        // A null key means "reuse the previous key" to OpenSSL; never pass one.
        let keyStorage = key.isEmpty ? [0] : key
        let input = message.isEmpty ? [0] : message
        let result = keyStorage.withUnsafeBufferPointer { keyBuffer in
            input.withUnsafeBufferPointer { messageBuffer in
                out.withUnsafeMutableBufferPointer { target in
                    HMAC(digest.evp, keyBuffer.baseAddress, Int32(key.count),
                         messageBuffer.baseAddress, message.count, target.baseAddress, &length)
                }
            }
        }
        guard result != nil, Int(length) == digest.length else { throw Failure(function: "HMAC") }
        return out
    }

    /// PBKDF2 with HMAC over `digest`, producing one digest-length block (SCRAM's Hi()).
    static func pbkdf2(_ digest: Digest, password: [UInt8], salt: [UInt8], iterations: Int) throws(Failure) -> [UInt8] {
        guard let count = Int32(exactly: iterations), count > 0,
              let passwordLength = Int32(exactly: password.count), let saltLength = Int32(exactly: salt.count) else {
            throw Failure(function: "PKCS5_PBKDF2_HMAC")
        }
        var out = [UInt8](repeating: 0, count: digest.length)
        let passwordStorage = password.isEmpty ? [0] : password
        let saltStorage = salt.isEmpty ? [0] : salt
        let ok = passwordStorage.withUnsafeBufferPointer { passwordBuffer in
            saltStorage.withUnsafeBufferPointer { saltBuffer in
                out.withUnsafeMutableBufferPointer { target in
                    passwordBuffer.withMemoryRebound(to: CChar.self) { passwordChars in
                        PKCS5_PBKDF2_HMAC(passwordChars.baseAddress, passwordLength, saltBuffer.baseAddress, saltLength,
                                          count, digest.evp, Int32(digest.length), target.baseAddress)
                    }
                }
            }
        }
        guard ok == 1 else { throw Failure(function: "PKCS5_PBKDF2_HMAC") }
        return out
    }

    /// Cryptographically secure random bytes.
    static func randomBytes(_ count: Int) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(count, 1))
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard ok == 1 else { throw Failure(function: "RAND_bytes") }
        return Array(out.prefix(count))
    }

    /// Compares without an early exit, so timing does not reveal where a forged signature first differs.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        zip(a, b).map { $0 ^ $1 }
    }
}
