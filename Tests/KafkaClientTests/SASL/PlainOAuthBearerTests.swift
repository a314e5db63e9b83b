import Testing
@testable import KafkaClient

@Suite("SASL: PLAIN and OAUTHBEARER")
struct PlainOAuthBearerTests {
    static let broker = SASLBrokerContext(host: "b-1.example", port: 9096, brokerId: 1)

    @Test("PLAIN sends authzid NUL user NUL password and is done on the empty reply")
    func plain() async throws {
        let mechanism: PlainMechanism = .plain(username: "alice", password: "s3cret")
        #expect(mechanism.name == "PLAIN")
        var (session, first) = try await mechanism.authenticate(with: Self.broker)
        #expect(first == Array("\0alice\0s3cret".utf8))
        #expect(try session.challenge([]) == .done)
        #expect(throws: KafkaError.self) { try session.challenge([]) }

        let (_, withAuthzid) = try PlainMechanism(username: "alice", password: "pw", authorizationId: "admin").start()
        #expect(withAuthzid == Array("admin\0alice\0pw".utf8))
        #expect(!String(describing: mechanism).contains("s3cret"))
        #expect(!String(reflecting: mechanism).contains("s3cret"))
        var dumped = ""
        dump(mechanism, to: &dumped)
        #expect(dumped.contains("alice") && !dumped.contains("s3cret"))
    }

    @Test("PLAIN refuses NULs in credentials and a non-empty broker reply")
    func plainErrors() throws {
        let error = try #require(throws: KafkaError.self) { try PlainMechanism(username: "a\0b", password: "secret\0").start() }
        #expect(error.code == .authenticationFailed && !error.description.contains("secret"))
        var (session, _) = try PlainMechanism(username: "a", password: "b").start()
        #expect(throws: KafkaError.self) { try session.challenge([1, 2]) }
    }

    @Test("OAUTHBEARER: gs2 header, bearer token and sorted extensions between 0x01 separators")
    func oauthBearerBytes() async throws {
        let token = OAuthBearerToken(value: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", lifetime: .seconds(3600),
                                     principalName: "alice", extensions: ["traceId": "abc 123", "logicalCluster": "lkc-1"])
        let mechanism: OAuthBearerMechanism = .oauthBearer { token }
        #expect(mechanism.name == "OAUTHBEARER")
        var (session, first) = try await mechanism.authenticate(with: Self.broker)
        let expected = "n,,\u{1}auth=Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.\u{1}logicalCluster=lkc-1\u{1}traceId=abc 123\u{1}\u{1}"
        #expect(first == Array(expected.utf8))
        #expect(try session.challenge([]) == .done)

        let plain = try OAuthBearerMechanism.initialResponse(token: OAuthBearerToken(value: "abc=="), authorizationId: "bob")
        #expect(plain == Array("n,a=bob,\u{1}auth=Bearer abc==\u{1}\u{1}".utf8))
    }

    @Test("OAUTHBEARER rejects invalid extension names and values, bad tokens and expired tokens",
          arguments: [
            (["auth": "x"], "invalid extension name"),
            (["bad-key": "x"], "invalid extension name"),
            (["k1": "x"], "invalid extension name"),
            (["": "x"], "invalid extension name"),
            (["key": "a\u{1}b"], "has characters RFC 7628 forbids"),
            (["key": ""], "has characters RFC 7628 forbids"),
          ])
    func oauthBearerExtensionErrors(extensions: [String: String], expected: String) async throws {
        let token = OAuthBearerToken(value: "secret-token", extensions: extensions)
        let error = try #require(throws: KafkaError.self) {
            try OAuthBearerMechanism.initialResponse(token: token, authorizationId: "")
        }
        #expect(error.code == .authenticationFailed)
        #expect(error.detail.contains(expected), "\(error.detail)")
        #expect(!error.description.contains("secret-token"))
    }

    @Test("OAUTHBEARER refuses malformed and expired tokens and wraps provider failures")
    func oauthBearerTokenErrors() async throws {
        for value in ["", "has space", "a=b", "tok\u{1}en"] {
            let mechanism = OAuthBearerMechanism { OAuthBearerToken(value: value) }
            await #expect(throws: KafkaError.self) { _ = try await mechanism.authenticate(with: Self.broker) }
        }
        let expired = OAuthBearerMechanism { OAuthBearerToken(value: "secret", expiresAt: .now.advanced(by: .seconds(-1))) }
        let error = await #expect(throws: KafkaError.self) { _ = try await expired.authenticate(with: Self.broker) }
        #expect(error?.detail.contains("expired") == true)
        struct ProviderDown: Error {}
        let failing = OAuthBearerMechanism { throw ProviderDown() }
        let wrapped = await #expect(throws: KafkaError.self) { _ = try await failing.authenticate(with: Self.broker) }
        #expect(wrapped?.code == .authenticationFailed && wrapped?.detail.contains("ProviderDown") == true)
    }

    @Test("OAUTHBEARER error JSON: answer 0x01, then fail with the status")
    func oauthBearerErrorJSON() throws {
        var session = OAuthBearerSession()
        let json = #"{"status":"invalid_token","scope":"kafka","openid-configuration":"https://idp/.well-known"}"#
        #expect(try session.challenge(Array(json.utf8)) == .respond([0x01]))
        let error = try #require(throws: KafkaError.self) { try session.challenge([]) }
        #expect(error.code == .authenticationFailed)
        #expect(error.detail == "OAUTHBEARER: the broker rejected the token: status=invalid_token")
        #expect(throws: KafkaError.self) { try session.challenge([]) }
    }

    @Test("the status comes out of nested or escaped JSON; unparseable replies are quoted")
    func errorJSONParsing() {
        #expect(OAuthBearerSession.reason(fromErrorJSON: Array(#"{"a":{"status":"x"},"b":[1,"}"],"status":"in\"valid"}"#.utf8))
                == #"status=in"valid"#)
        #expect(OAuthBearerSession.reason(fromErrorJSON: Array(#" { "status" : "expired" } "#.utf8)) == "status=expired")
        #expect(OAuthBearerSession.reason(fromErrorJSON: Array("not json".utf8)) == "error reply not json")
        #expect(OAuthBearerSession.reason(fromErrorJSON: Array(#"{"status":5}"#.utf8)) == #"error reply {"status":5}"#)
    }

    @Test("token descriptions show principal and extension names, never the token or extension values")
    func tokenDescription() {
        let token = OAuthBearerToken(value: "secret-token", lifetime: .seconds(60), principalName: "alice",
                                     extensions: ["key": "secret-value"])
        let text = String(describing: token) + String(reflecting: token)
        #expect(text.contains("alice") && text.contains("key"))
        #expect(!text.contains("secret-token") && !text.contains("secret-value"))
        var dumped = ""
        dump(token, to: &dumped)
        #expect(dumped.contains("alice") && !dumped.contains("secret"), "\(dumped)")
        let mechanism = OAuthBearerMechanism { token }
        #expect(!String(reflecting: mechanism).contains("secret"))
    }
}
