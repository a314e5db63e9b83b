/// Host name helpers for Amazon MSK brokers.
package enum MSKHost {
    /// The host name of `hostAndPort` without its port: `b-1.x.kafka.us-east-1.amazonaws.com:9098`
    /// becomes `b-1.x.kafka.us-east-1.amazonaws.com`; `[::1]:9098` becomes `::1`.
    package static func hostName(_ hostAndPort: String) throws(MSKAuthError) -> String {
        var host = Substring(hostAndPort)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw MSKAuthError(.invalidHost, detail: "unterminated '[' in IPv6 host")
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy(\.isASCIIDigit) else {
                throw MSKAuthError(.invalidHost, detail: "port must be decimal digits")
            }
            host = host[..<colon]
        }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw MSKAuthError(.invalidHost, detail: "host must be non-empty printable ASCII without '/'")
        }
        return String(host)
    }

    /// The AWS region of a broker, read from its DNS name: the label after
    /// `kafka` (provisioned, `b-1.cluster.abc123.c2.kafka.<region>.amazonaws.com`)
    /// or `kafka-serverless` (`boot-abc.c1.kafka-serverless.<region>.amazonaws.com`),
    /// under `amazonaws.com` or `amazonaws.com.cn`. A port is ignored.
    package static func region(ofBroker hostAndPort: String) throws(MSKAuthError) -> String {
        let labels = try hostName(hostAndPort).lowercased().split(separator: ".", omittingEmptySubsequences: false)
        for index in labels.indices.dropLast(3) where labels[index] == "kafka" || labels[index] == "kafka-serverless" {
            let suffix = labels[(index + 2)...]
            guard suffix.elementsEqual(["amazonaws", "com"]) || suffix.elementsEqual(["amazonaws", "com", "cn"]) else {
                continue
            }
            let region = String(labels[index + 1])
            try validateRegion(region)
            return region
        }
        throw MSKAuthError(.invalidRegion, detail: "cannot find a region in host '\(hostAndPort)'; pass the region explicitly")
    }

    /// Region names are lower-case words and a number joined by `-` (`us-gov-west-1`).
    static func validateRegion(_ region: String) throws(MSKAuthError) {
        let bytes = Array(region.utf8)
        let allowed = bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        }
        guard allowed, let first = bytes.first, let last = bytes.last,
              (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(last),
              bytes.contains(UInt8(ascii: "-")) else {
            throw MSKAuthError(.invalidRegion, detail: "'\(region)' is not an AWS region name")
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
