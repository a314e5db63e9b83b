/// How connections to brokers use TLS (`security.protocol=SSL` / `SASL_SSL`).
///
/// The defaults are safe: the system's trusted CAs, TLS 1.2 or newer, and full
/// verification of the broker's certificate chain and host name. Build a
/// `TLSContext` from it once and share that between connections.
public struct KafkaTLSConfiguration: Sendable, Hashable {
    /// Where PEM-encoded material (certificates or a key) comes from.
    public enum PEMSource: Sendable, Hashable {
        /// A file holding one or more PEM blocks.
        case file(String)
        /// PEM text held in memory.
        case pem(String)
    }

    /// The certificate authorities that may sign a broker's certificate
    /// (`ssl.ca.location`, `ssl.truststore.location`).
    public enum TrustRoots: Sendable, Hashable {
        /// The operating system's CA store (OpenSSL's default verify paths).
        case system
        /// A PEM file of one or more CA certificates.
        case pemFile(String)
        /// One or more CA certificates as PEM text (`ssl.truststore.certificates`).
        case pem(String)
    }

    /// A TLS protocol version.
    public enum TLSVersion: Sendable, Hashable, Comparable {
        /// TLS 1.2.
        case tls12
        /// TLS 1.3.
        case tls13
    }

    /// How much of the broker's certificate is checked.
    public enum CertificateVerification: Sendable, Hashable {
        /// Check the chain against `trustRoots` and the broker's host name (or IP)
        /// against the certificate (`ssl.endpoint.identification.algorithm=https`). The default.
        case fullVerification
        /// Check the chain but not the host name (`ssl.endpoint.identification.algorithm=`).
        /// Any certificate from a trusted CA is accepted for any broker.
        case noHostnameVerification
        /// **Insecure.** Accept any certificate, including self-signed and expired ones
        /// (`enable.ssl.certificate.verification=false`). Traffic is encrypted but anyone
        /// on the path can impersonate the broker. For local experiments only.
        case noVerification
    }

    /// The CAs trusted to sign broker certificates. Default: `.system`.
    public var trustRoots: TrustRoots = .system
    /// The client's certificate, followed by any intermediates, for mutual TLS
    /// (`ssl.certificate.location` / `ssl.certificate.pem`, `ssl.keystore.*`). Needs `privateKey`.
    public var certificateChain: PEMSource? = nil
    /// The private key matching the first certificate of `certificateChain`
    /// (`ssl.key.location` / `ssl.key.pem`). May be encrypted; see `privateKeyPassword`.
    public var privateKey: PEMSource? = nil
    /// The password of an encrypted `privateKey` (`ssl.key.password`).
    public var privateKeyPassword: String? = nil
    /// The oldest protocol version offered (`ssl.enabled.protocols`). Default: TLS 1.2.
    public var minimumVersion: TLSVersion = .tls12
    /// The newest protocol version offered; nil offers the newest OpenSSL supports.
    public var maximumVersion: TLSVersion? = nil
    /// OpenSSL cipher list for TLS 1.2 and older (`ssl.cipher.suites`); nil keeps OpenSSL's default.
    public var cipherSuites: String? = nil
    /// OpenSSL ciphersuites for TLS 1.3, such as `TLS_AES_256_GCM_SHA384`; nil keeps the default.
    public var tls13CipherSuites: String? = nil
    /// How the broker's certificate is verified. Default: `.fullVerification`.
    public var certificateVerification: CertificateVerification = .fullVerification
    /// The name sent as SNI and checked against the certificate instead of the
    /// broker's advertised host, for brokers reached through a proxy or by IP.
    public var serverNameOverride: String? = nil

    /// The defaults: system trust store, TLS 1.2 or newer, full verification.
    public init() {}

    /// System trust store, TLS 1.2+, full verification.
    public static var `default`: KafkaTLSConfiguration { KafkaTLSConfiguration() }

    /// The default configuration trusting the CAs in `caFile` instead of the system store.
    public static func trusting(caFile path: String) -> KafkaTLSConfiguration {
        var configuration = KafkaTLSConfiguration()
        configuration.trustRoots = .pemFile(path)
        return configuration
    }

    /// Mutual TLS: the client presents `certificateChain` and proves it holds `privateKey`.
    public static func mutual(certificateChain: PEMSource, privateKey: PEMSource, password: String? = nil,
                              trustRoots: TrustRoots = .system) -> KafkaTLSConfiguration {
        var configuration = KafkaTLSConfiguration()
        configuration.trustRoots = trustRoots
        configuration.certificateChain = certificateChain
        configuration.privateKey = privateKey
        configuration.privateKeyPassword = password
        return configuration
    }
}

extension KafkaTLSConfiguration.PEMSource: CustomStringConvertible {
    /// The file path, or "in-memory PEM" (never the PEM text itself: it may hold a key).
    public var description: String {
        switch self {
        case .file(let path): path
        case .pem: "in-memory PEM"
        }
    }
}

extension KafkaTLSConfiguration: CustomStringConvertible {
    /// The settings with the key password and in-memory PEM hidden, safe for logs.
    public var description: String {
        var parts = ["trustRoots: \(trustRoots)", "minimumVersion: \(minimumVersion)"]
        if let maximumVersion { parts.append("maximumVersion: \(maximumVersion)") }
        if let certificateChain { parts.append("certificateChain: \(certificateChain)") }
        if let privateKey { parts.append("privateKey: \(privateKey)") }
        if privateKeyPassword != nil { parts.append("privateKeyPassword: <hidden>") }
        if let cipherSuites { parts.append("cipherSuites: \(cipherSuites)") }
        if let tls13CipherSuites { parts.append("tls13CipherSuites: \(tls13CipherSuites)") }
        parts.append("certificateVerification: \(certificateVerification)")
        if let serverNameOverride { parts.append("serverNameOverride: \(serverNameOverride)") }
        return "KafkaTLSConfiguration(\(parts.joined(separator: ", ")))"
    }
}

extension KafkaTLSConfiguration.TrustRoots: CustomStringConvertible {
    /// `system`, the file path, or "in-memory PEM".
    public var description: String {
        switch self {
        case .system: "system"
        case .pemFile(let path): path
        case .pem: "in-memory PEM"
        }
    }
}
