internal import CKafkaOpenSSL

/// Reads OpenSSL's per-thread error queue, which is where its functions leave
/// the reason for a failure.
enum OpenSSLErrorQueue {
    /// Empties the queue so the next failure reports only its own reasons:
    /// an earlier connection on the same thread may have left errors behind.
    static func clear() {
        ERR_clear_error()
    }

    /// Every queued reason, oldest first, joined by "; " (and the queue emptied);
    /// nil when the queue was empty.
    static func drain() -> String? {
        var reasons: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            // A failure often repeats one reason through several layers; keep it once.
            if reasons.last != text { reasons.append(text) }
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// The queued reasons, or `fallback` when OpenSSL left none.
    static func drain(or fallback: String) -> String {
        drain() ?? fallback
    }
}
