import Foundation

/// An `http://host[:port]/path?query` URL, split for ``HTTPClient``.
///
/// Plain HTTP for the metadata endpoints (EC2, ECS, EKS Pod Identity), HTTPS for STS.
struct HTTPEndpoint: Sendable, Hashable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int
    /// The request target: path and query, never empty (`/` at least).
    var target: String

    init(scheme: String = "http", host: String, port: Int? = nil, target: String = "/") {
        self.scheme = scheme
        self.host = host
        self.port = port ?? (scheme == "https" ? 443 : 80)
        self.target = target.isEmpty ? "/" : target
    }

    /// Parses an absolute `http` or `https` URL.
    init(parsing text: String) throws(MSKAuthError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "'\(text)' is not an http(s) URL with a host")
        }
        var target = components.percentEncodedPath
        if let query = components.percentEncodedQuery { target += "?" + query }
        // URLComponents keeps IPv6 brackets in some versions; sockets want the bare address.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(scheme: scheme, host: bare, port: components.port, target: target)
    }

    /// The same server with another request target.
    func with(target: String) -> HTTPEndpoint {
        HTTPEndpoint(scheme: scheme, host: host, port: port, target: target)
    }

    /// The `Host` header value.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        let defaultPort = scheme == "https" ? 443 : 80
        return port == defaultPort ? name : "\(name):\(port)"
    }

    var description: String { "\(scheme)://\(hostHeader)\(target.split(separator: "?", maxSplits: 1).first ?? "")" }
}
