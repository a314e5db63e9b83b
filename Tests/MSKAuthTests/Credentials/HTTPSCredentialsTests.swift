import Foundation
import KafkaClient
import KafkaTestSupport
import Testing
@testable import MSKAuth

/// STS over HTTPS: socat terminates TLS with the generated test CA's server
/// certificate and forwards to the plain fake HTTP server.
@Suite("Credentials HTTPS client", .enabled(if: SocatTLSFront.isAvailable && ExternalTool.find("openssl") != nil,
                                            "needs socat and openssl"))
struct HTTPSCredentialsTests {
    /// A fake HTTP server behind a TLS front, and its `https://localhost:PORT` URL.
    final class Endpoint: Sendable {
        let server: FakeHTTPServer
        let front: SocatTLSFront
        let certificates: TestCertificates
        var url: String { "https://localhost:\(front.port)" }

        init(_ respond: @escaping @Sendable (FakeHTTPServer.Request) -> [UInt8]) throws {
            certificates = try TestCertificates.shared()
            server = try FakeHTTPServer(respond)
            guard let port = server.url.split(separator: ":").last.flatMap({ Int($0) }) else {
                throw MSKAuthError(.invalidRequest, detail: "no port in \(server.url)")
            }
            front = try SocatTLSFront(upstreamPort: port, identity: certificates.server)
        }

        var trustingTestCA: KafkaTLSConfiguration { .trusting(caFile: certificates.caCertificate) }

        deinit {
            front.stop()
            server.stop()
        }
    }

    @Test("GET and POST over TLS with the test CA: every body framing, host header with the port",
          arguments: [FakeHTTPServer.Framing.contentLength, .chunked(5), .untilClose])
    func framing(_ framing: FakeHTTPServer.Framing) async throws {
        let body = String(repeating: "0123456789abcdef", count: 2_000)  // several TLS records
        let endpoint = try Endpoint { _ in FakeHTTPServer.response(body, framing: framing) }
        let target = try HTTPEndpoint(parsing: endpoint.url + "/path?x=1")
        let response = try await HTTPClient(tls: endpoint.trustingTestCA)
            .send(HTTPRequest(method: "POST", body: Array("a=b".utf8)), to: target)
        #expect(response.status == 200 && response.bodyText == body)
        let request = try #require(endpoint.server.requests.first)
        #expect(request.method == "POST" && request.target == "/path?x=1" && request.body == "a=b")
        #expect(request.headers["host"] == "localhost:\(endpoint.front.port)")
    }

    @Test("web identity against an https STS endpoint with the test CA")
    func webIdentity() async throws {
        let endpoint = try Endpoint { _ in
            FakeHTTPServer.response(MetadataProvidersTests.stsSuccess, headers: ["Content-Type: text/xml"])
        }
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "jwt-token")
        let provider = WebIdentityAWSCredentialsProvider(
            roleARN: "arn:aws:iam::123456789012:role/app", tokenFile: tokenFile, sessionName: "s",
            environment: ["AWS_ENDPOINT_URL_STS": endpoint.url], tls: endpoint.trustingTestCA)
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "ASIASTS" && credentials.sessionToken == "FwoG&token")
        #expect(endpoint.server.requests.first?.body.hasPrefix("Action=AssumeRoleWithWebIdentity&") == true)
    }

    @Test("a source_profile role profile: SigV4-signed AssumeRole against an https STS endpoint with the test CA")
    func assumeRoleProfile() async throws {
        let endpoint = try Endpoint { _ in FakeHTTPServer.response(AssumeRoleTests.success, headers: ["Content-Type: text/xml"]) }
        let directory = try TemporaryDirectory()
        let config = try directory.write("config", """
            [profile base]
            aws_access_key_id = AKIDBASE
            aws_secret_access_key = base-secret

            [profile dev]
            role_arn = arn:aws:iam::123456789012:role/dev
            source_profile = base
            region = eu-central-1
            """)
        let provider = ProfileAWSCredentialsProvider(profile: "dev", environment: ["AWS_CONFIG_FILE": config],
                                                     stsEndpoint: endpoint.url, tls: endpoint.trustingTestCA)
        #expect(try await provider.credentials().accessKeyID == "ASIAROLE")
        let request = try #require(endpoint.server.requests.first)
        #expect(request.headers["host"] == "localhost:\(endpoint.front.port)")
        #expect(request.headers["authorization"]?.contains("Credential=AKIDBASE/") == true)
        #expect(request.headers["authorization"]?.contains("/eu-central-1/sts/aws4_request") == true)
        #expect(request.body.hasPrefix("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdev&"))
    }

    @Test("the system trust store rejects the test CA with a clear error, and nothing reaches the server")
    func systemStoreRejects() async throws {
        let endpoint = try Endpoint { _ in FakeHTTPServer.response(MetadataProvidersTests.stsSuccess) }
        let directory = try TemporaryDirectory()
        let secretToken = "secret-jwt-token"
        let tokenFile = try directory.write("token", secretToken)
        let provider = WebIdentityAWSCredentialsProvider(
            roleARN: "arn:aws:iam::1:role/r", tokenFile: tokenFile, environment: ["AWS_ENDPOINT_URL_STS": endpoint.url])
        do {
            _ = try await provider.credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsProviderFailed)
            #expect(error.detail.contains(endpoint.url) && error.detail.contains("certificate verification of localhost failed"),
                    "\(error)")
            #expect(!error.detail.contains(secretToken))
        }
        #expect(endpoint.server.requests.isEmpty)

        // The right CA but the wrong name fails too.
        var wrongName = endpoint.trustingTestCA
        wrongName.serverNameOverride = "wrong.example.com"
        await #expect(throws: MSKAuthError.self) {
            try await HTTPClient(tls: wrongName).send(HTTPRequest(method: "GET"), to: HTTPEndpoint(parsing: endpoint.url))
        }
    }
}
