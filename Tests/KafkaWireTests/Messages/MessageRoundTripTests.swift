import KafkaTestSupport
import KafkaWire
import Testing

/// Every generated message at every valid version: a sample with every field set
/// (plus unknown tagged fields when flexible) encodes, decodes equal, and re-encodes
/// to the same bytes.
@Suite struct MessageRoundTripTests {
    @Test(arguments: allMessageSampleNames)
    func everyVersionRoundTrips(_ name: String) throws {
        var visitor = SampleRoundTrip()
        #expect(try visitMessageSample(named: name, &visitor))
        #expect(visitor.versionsChecked > 0)
    }

    @Test func defaultValuesRoundTripAtEveryVersion() throws {
        // Defaults must always be encodable: fields a version lacks are at their defaults.
        var visitor = DefaultRoundTrip()
        for name in allMessageSampleNames {
            #expect(try visitMessageSample(named: name, &visitor))
        }
        #expect(visitor.versionsChecked > 500)
    }

    @Test func everyGeneratedApiHasItsTypes() throws {
        var apis = 0
        for key in ApiKey.allKnown {
            guard let request = key.requestType, let response = key.responseType else { continue }
            #expect(allMessageSampleNames.contains(request.messageName))
            #expect(allMessageSampleNames.contains(response.messageName))
            #expect(request.apiKey == key && response.apiKey == key)
            apis += 1
        }
        #expect(apis == allMessageSampleNames.filter { $0.hasSuffix("Request") && $0 != "RequestHeader" }.count)
    }
}

private struct SampleRoundTrip: MessageSampleVisitor {
    var versionsChecked = 0

    mutating func visit<M: SampleBuildable>(_: M.Type) throws {
        for version in M.validVersions {
            var source = SampleSource(seed: UInt64(bitPattern: Int64(version)) &* 7919 &+ UInt64(M.messageName.utf8.count))
            let sample = M.sample(version: version, using: &source)
            var writer = WireWriter()
            if sample == M() {
                // Only versions without fields (ApiVersionsRequest v0) have nothing to set:
                // the body is empty, or just the empty tagged-field count when flexible.
                try sample.encode(into: &writer, version: version)
                #expect(writer.count == (M.isFlexible(version: version) ? 1 : 0), "\(M.messageName) v\(version): sample is the default")
                writer = WireWriter()
            }
            try sample.encode(into: &writer, version: version)
            var reader = WireReader(writer.bytes)
            let decoded = try M(from: &reader, version: version)
            #expect(reader.isAtEnd, "\(M.messageName) v\(version): \(reader.readableBytes) bytes left")
            #expect(decoded == sample, "\(M.messageName) v\(version) decoded differently")
            var again = WireWriter()
            try decoded.encode(into: &again, version: version)
            #expect(again.bytes == writer.bytes, "\(M.messageName) v\(version) re-encoded differently")
            versionsChecked += 1
        }
    }
}

private struct DefaultRoundTrip: MessageSampleVisitor {
    var versionsChecked = 0

    mutating func visit<M: SampleBuildable>(_: M.Type) throws {
        for version in M.validVersions {
            var writer = WireWriter()
            try M().encode(into: &writer, version: version)
            var reader = WireReader(writer.bytes)
            let decoded = try M(from: &reader, version: version)
            #expect(reader.isAtEnd && decoded == M(), "\(M.messageName) v\(version)")
            versionsChecked += 1
        }
    }
}
