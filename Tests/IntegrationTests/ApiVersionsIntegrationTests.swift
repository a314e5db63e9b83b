import KafkaWire
import Testing

/// ApiVersions against the real broker, over the frame transport, with the body
/// encoded and decoded by hand (v0 has no flexible fields) so this checks the
/// transport and the broker independently of the generated messages.
@Suite("ApiVersions on the broker")
struct ApiVersionsIntegrationTests {
    struct Range: Equatable { let min: Int16; let max: Int16 }

    @Test("ApiVersions v0 lists Produce, Fetch, Metadata and ApiVersions itself")
    func apiVersionsV0() throws {
        let session = try BrokerSession()
        var reader = try session.roundTrip(apiKey: 18, version: 0, flexibleRequestHeader: false,
                                           flexibleResponseHeader: false, body: [])
        let error = KafkaErrorCode(try reader.read(Int16.self, field: "error_code"))
        #expect(error == .noError)
        let count = Int(try reader.read(Int32.self, field: "api_keys"))
        try reader.checkCount(count, minimumElementSize: 6, field: "api_keys")
        var ranges: [Int16: Range] = [:]
        for _ in 0..<count {
            let key = try reader.read(Int16.self, field: "api_key")
            ranges[key] = Range(min: try reader.read(Int16.self, field: "min_version"),
                                max: try reader.read(Int16.self, field: "max_version"))
        }
        try reader.expectEnd(field: "ApiVersionsResponse")

        for key: Int16 in [0, 1, 3, 18, 19] {  // Produce, Fetch, Metadata, ApiVersions, CreateTopics
            let range = try #require(ranges[key], "api key \(key) missing from \(ranges.keys.sorted())")
            #expect(range.min <= range.max)
        }
        #expect(ranges[0]!.max >= 3, "Produce must reach v3 (record batch v2)")
        #expect(ranges[1]!.max >= 4, "Fetch must reach v4")
        #expect(ranges[18]!.max >= 3, "ApiVersions must reach the flexible v3")
    }

    @Test("several requests on one connection keep their correlation ids in order")
    func sequentialCorrelation() throws {
        let session = try BrokerSession()
        for _ in 0..<5 {
            var reader = try session.roundTrip(apiKey: 18, version: 0, flexibleRequestHeader: false,
                                               flexibleResponseHeader: false, body: [])
            #expect(try reader.read(Int16.self, field: "error_code") == 0)
        }
    }
}
