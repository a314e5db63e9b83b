import KafkaWire
import Testing

/// Request/response frames: header versions and the header+body helpers.
@Suite struct FramingTests {
    @Test func headerVersionRules() {
        #expect(FetchRequest.requestHeaderVersion(for: 11) == 1)
        #expect(FetchRequest.requestHeaderVersion(for: 12) == 2)
        #expect(FetchRequest.responseHeaderVersion(for: 11) == 0)
        #expect(FetchRequest.responseHeaderVersion(for: 12) == 1)
        #expect(ProduceRequest.requestHeaderVersion(for: 0) == 1)
        // ApiVersions responses always use header v0, even in flexible versions.
        #expect(ApiVersionsRequest.requestHeaderVersion(for: 3) == 2)
        #expect(ApiVersionsRequest.responseHeaderVersion(for: 3) == 0)
        #expect(KafkaFrame.requestHeaderVersion(apiKey: .controlledShutdown, isFlexible: false, apiVersion: 0) == 0)
        #expect(KafkaFrame.requestHeaderVersion(apiKey: .controlledShutdown, isFlexible: false, apiVersion: 1) == 1)
    }

    @Test func requestFrameLayout() throws {
        var request = MetadataRequest()
        request.topics = nil
        let frame = try request.encodeFrame(version: 12, correlationId: 42, clientId: "abc")
        // api key 3, version 12, correlation id 42, client id as a classic INT16 string even in
        // header v2, empty header tags, then the body: null topics, true, false, no tags.
        #expect(frame == [0, 3, 0, 12, 0, 0, 0, 42, 0, 3, 0x61, 0x62, 0x63, 0, 0, 1, 0, 0])
        let (header, body) = try MetadataRequest.decodeFrame(frame)
        #expect(header.correlationId == 42 && header.clientId == "abc" && header.requestApiVersion == 12)
        #expect(body == request)

        let nullClient = try ApiVersionsRequest().encodeFrame(version: 0, correlationId: 1, clientId: nil)
        #expect(nullClient == [0, 18, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF])
    }

    @Test func requestFrameForAnotherApiIsRefused() throws {
        let frame = try ApiVersionsRequest().encodeFrame(version: 3, correlationId: 1, clientId: "c")
        #expect(throws: KafkaWireError.self) { try MetadataRequest.decodeFrame(frame) }
    }

    @Test func responseFrameRoundTripAndTrailingBytes() throws {
        var response = ApiVersionsResponse()
        response.apiKeys = [ApiVersionsResponse.ApiVersion(apiKey: 0, minVersion: 3, maxVersion: 11)]
        let frame = try response.encodeFrame(version: 3, correlationId: 7)
        #expect(Array(frame.prefix(4)) == [0, 0, 0, 7])
        #expect(frame[4] == 0)   // error code starts right after the v0 header
        #expect(KafkaFrame.correlationId(ofResponse: frame) == 7)
        let (header, body) = try ApiVersionsResponse.decodeFrame(frame, version: 3)
        #expect(header.correlationId == 7 && body == response)

        #expect {
            try ApiVersionsResponse.decodeFrame(frame + [0], version: 3)
        } throws: { error in
            let wire = error as? KafkaWireError
            return wire?.code == .trailingBytes && wire?.messageName == "ApiVersionsResponse"
        }
    }

    @Test func trailingBytesAllowedWhenAsked() throws {
        var response = MetadataResponse()
        response.clusterId = "padded"
        let frame = try response.encodeFrame(version: 12, correlationId: 4)
        // librdkafka's mock cluster sends one byte more than a Metadata v12 body.
        let (header, body) = try MetadataResponse.decodeFrame(frame + [0], version: 12, allowingTrailingBytes: true)
        #expect(header.correlationId == 4)
        #expect(body.clusterId == "padded")
        #expect(throws: KafkaWireError.self) { try MetadataResponse.decodeFrame(frame + [0], version: 12) }
    }

    @Test func flexibleResponseHeaderKeepsUnknownTags() throws {
        var response = FetchResponse()
        response.sessionId = 5
        var frame = try response.encodeFrame(version: 12, correlationId: 9)
        // Replace the empty header tag section with one unknown tag (tag 3, 2 bytes).
        frame.replaceSubrange(4..<5, with: [1, 3, 2, 0xAB, 0xCD])
        let (header, body) = try FetchResponse.decodeFrame(frame, version: 12)
        #expect(header.unknownTaggedFields == [KafkaTaggedField(tag: 3, data: [0xAB, 0xCD])])
        #expect(body.sessionId == 5)
        var writer = WireWriter()
        try header.encode(into: &writer, version: 1)
        try body.encode(into: &writer, version: 12)
        #expect(writer.bytes == frame)
    }

    @Test func apiKeyNames() {
        #expect(ApiKey.produce.rawValue == 0 && ApiKey.fetch.rawValue == 1 && ApiKey.apiVersions.rawValue == 18)
        #expect(ApiKey.fetch.name == "Fetch")
        #expect(ApiKey(rawValue: 9999).name == nil)
        #expect("\(ApiKey.metadata)" == "Metadata(3)")
        #expect(ApiKey.produce.requestType.map { $0 == ProduceRequest.self } == true)
    }
}
