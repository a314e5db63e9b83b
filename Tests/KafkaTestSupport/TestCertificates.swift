import Foundation
import Synchronization

/// Throwaway certificates for TLS tests, generated once per test process with
/// the `openssl` command-line tool into a private temporary directory.
///
/// `ca` signs `server` (for `localhost` and IP 127.0.0.1), `wrongHostServer`
/// (for `wrong.example.com` only) and `client` (for mutual TLS, with its key
/// also stored encrypted under `clientKeyPassword`); `wrongCA` is an unrelated
/// CA that signs `wrongCAServer` (also for `localhost`).
public struct TestCertificates: Sendable {
    /// A certificate and its unencrypted private key, as PEM file paths.
    public struct Identity: Sendable {
        public let certificate: String
        public let key: String
    }

    /// A failure to find or run `openssl`.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The directory holding every file.
    public let directory: String
    /// The test CA's certificate.
    public let caCertificate: String
    /// An unrelated CA's certificate.
    public let wrongCACertificate: String
    /// Server identity for `localhost` and 127.0.0.1, signed by the test CA.
    public let server: Identity
    /// Server identity for `wrong.example.com` only, signed by the test CA.
    public let wrongHostServer: Identity
    /// Server identity for `localhost`, signed by the unrelated CA.
    public let wrongCAServer: Identity
    /// Client identity (extended key usage clientAuth), signed by the test CA.
    public let client: Identity
    /// The client key encrypted (PKCS#8, AES-256) with `clientKeyPassword`.
    public let encryptedClientKey: String
    /// The password of `encryptedClientKey`.
    public let clientKeyPassword: String

    private static let cached = Mutex<Result<TestCertificates, Unavailable>?>(nil)

    /// The certificates, generating them on first use.
    public static func shared() throws(Unavailable) -> TestCertificates {
        let result = cached.withLock { cached in
            if let cached { return cached }
            let fresh = Result { () throws(Unavailable) in try generate() }
            cached = fresh
            return fresh
        }
        return try result.get()
    }

    /// Reads one of the files as text (for in-memory PEM configurations).
    public func contents(of path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    private static func generate() throws(Unavailable) -> TestCertificates {
        guard ExternalTool.find("openssl") != nil else { throw Unavailable(description: "the openssl CLI is not installed") }
        let directory = "\(NSTemporaryDirectory())kafka-tls-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try script.write(toFile: "\(directory)/generate.sh", atomically: true, encoding: .utf8)
        } catch {
            throw Unavailable(description: "cannot prepare \(directory): \(error)")
        }
        let password = "pw-\(UInt32.random(in: 0...UInt32.max))"
        // popen rather than Process: it needs no run loop, and the output goes to a log file.
        let command = "cd '\(directory)' && KEY_PASSWORD='\(password)' /bin/sh generate.sh >generate.log 2>&1 </dev/null"
        guard let stream = popen(command, "r") else { throw Unavailable(description: "cannot run /bin/sh") }
        let status = pclose(stream)
        guard status == 0 else {
            let log = (try? String(contentsOfFile: "\(directory)/generate.log", encoding: .utf8)) ?? ""
            throw Unavailable(description: "openssl certificate generation failed (status \(status)): \(log)")
        }
        func identity(_ name: String) -> Identity {
            Identity(certificate: "\(directory)/\(name).pem", key: "\(directory)/\(name).key")
        }
        return TestCertificates(
            directory: directory, caCertificate: "\(directory)/ca.pem", wrongCACertificate: "\(directory)/wrong-ca.pem",
            server: identity("server"), wrongHostServer: identity("wrong-host"), wrongCAServer: identity("wrong-ca-server"),
            client: identity("client"), encryptedClientKey: "\(directory)/client-encrypted.key", clientKeyPassword: password)
    }

    /// P-256 keys keep generation fast; certificates last three days.
    private static let script = """
        set -e
        KEY="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        ca() { openssl req -x509 $KEY -keyout "$1.key" -out "$1.pem" -days 3 -subj "/CN=$2"; }
        leaf() {
          openssl req $KEY -keyout "$1.key" -out "$1.csr" -subj "/CN=$3"
          printf '%b' "$4" > "$1.ext"
          openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 3 -out "$1.pem" -extfile "$1.ext"
        }
        SERVER='basicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n'
        ca ca "swift-kafka-native test CA"
        ca wrong-ca "unrelated test CA"
        leaf server ca localhost "subjectAltName=DNS:localhost,IP:127.0.0.1\\n$SERVER"
        leaf wrong-host ca wrong.example.com "subjectAltName=DNS:wrong.example.com\\n$SERVER"
        leaf wrong-ca-server wrong-ca localhost "subjectAltName=DNS:localhost,IP:127.0.0.1\\n$SERVER"
        leaf client ca kafka-test-client 'basicConstraints=CA:FALSE\\nextendedKeyUsage=clientAuth\\n'
        openssl pkcs8 -topk8 -in client.key -out client-encrypted.key -v2 aes-256-cbc -passout env:KEY_PASSWORD

        """
}

/// Finds command-line tools on `PATH`.
public enum ExternalTool {
    /// The full path of `name`, or nil when no executable of that name is on `PATH`.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
