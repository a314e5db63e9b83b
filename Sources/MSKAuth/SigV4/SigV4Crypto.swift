internal import CKafkaOpenSSL

/// SHA-256 and HMAC-SHA256 through OpenSSL, plus the lowercase hex SigV4 uses.
enum SigV4Crypto {
    static let digestLength = 32

    static func sha256(_ bytes: [UInt8]) throws(MSKAuthError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        // OpenSSL rejects a null pointer even for zero bytes, so always pass storage.
        let input = bytes.isEmpty ? [0] : bytes
        let ok = input.withUnsafeBufferPointer { source in
            digest.withUnsafeMutableBufferPointer { target in
                EVP_Digest(source.baseAddress, bytes.count, target.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard ok == 1, length == digestLength else {
            throw MSKAuthError(.cryptoFailure, detail: "EVP_Digest(SHA-256) failed")
        }
        return digest
    }

    static func hmacSHA256(key: [UInt8], message: [UInt8]) throws(MSKAuthError) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        // A null key means "reuse the previous key" to OpenSSL; never pass one.
        let keyBytes = key.isEmpty ? [0] : key
        let input = message.isEmpty ? [0] : message
        let result = keyBytes.withUnsafeBufferPointer { keyBuffer in
            input.withUnsafeBufferPointer { messageBuffer in
                mac.withUnsafeMutableBufferPointer { target in
                    HMAC(EVP_sha256(), keyBuffer.baseAddress, Int32(key.count),
                         messageBuffer.baseAddress, message.count, target.baseAddress, &length)
                }
            }
        }
        guard result != nil, length == digestLength else {
            throw MSKAuthError(.cryptoFailure, detail: "HMAC(SHA-256) failed")
        }
        return mac
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func sha256Hex(_ bytes: [UInt8]) throws(MSKAuthError) -> String {
        hex(try sha256(bytes))
    }
}
