import Testing
@testable import MSKAuth

@Suite("MSK: broker hosts and regions")
struct MSKHostTests {
    @Test("region read from provisioned, serverless and China broker names", arguments: [
        ("b-1.mycluster.abc123.c2.kafka.us-east-1.amazonaws.com", "us-east-1"),
        ("b-3.unit-test.abcdef.kafka.us-west-2.amazonaws.com:9098", "us-west-2"),
        ("boot-ab12cd34.c1.kafka-serverless.eu-central-1.amazonaws.com:9098", "eu-central-1"),
        ("B-2.Cluster.X.C3.KAFKA.AP-SOUTHEAST-2.AMAZONAWS.COM", "ap-southeast-2"),
        ("b-1.c.x.c1.kafka.cn-north-1.amazonaws.com.cn:9198", "cn-north-1"),
        ("kafka.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
    ])
    func region(_ host: String, _ expected: String) throws {
        #expect(try MSKHost.region(ofBroker: host) == expected)
    }

    @Test("hosts without a region are a typed error", arguments: [
        "localhost", "localhost:9092", "b-1.kafka.amazonaws.com", "b-1.kafka.us-east-1.example.com",
        "kafka.us-east-1.amazonaws.com.evil.example", "b-1.kafka.US_EAST.amazonaws.com",
    ])
    func noRegion(_ host: String) {
        do {
            _ = try MSKHost.region(ofBroker: host)
            Issue.record("expected an error for '\(host)'")
        } catch {
            #expect(error.code == .invalidRegion)
        }
    }

    @Test("the port is dropped from the host name", arguments: [
        ("broker:9098", "broker"), ("broker", "broker"), ("[::1]:9098", "::1"), ("[fe80::1]", "fe80::1"), ("fe80::1", "fe80::1"),
    ])
    func hostName(_ input: String, _ expected: String) throws {
        #expect(try MSKHost.hostName(input) == expected)
    }

    @Test("malformed hosts are a typed error", arguments: ["", ":9098", "broker:", "broker:98a", "[::1", "a/b:1", "a b"])
    func malformedHost(_ input: String) {
        do {
            _ = try MSKHost.hostName(input)
            Issue.record("expected an error for '\(input)'")
        } catch {
            #expect(error.code == .invalidHost)
        }
    }
}
