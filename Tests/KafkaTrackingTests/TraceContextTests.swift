import Foundation
import InMemoryTracing
import Instrumentation
import KafkaClient
import KafkaWire
import Testing
import Tracing
@testable import KafkaTracking

@Suite("Tracking: trace context in headers")
struct TraceContextTests {
    @Test("traceparent parses and prints per W3C; malformed values are refused")
    func traceparent() throws {
        let value = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let parsed = try #require(TraceParent(value))
        #expect(parsed.traceId == "4bf92f3577b34da6a3ce929d0e0e4736" && parsed.parentId == "00f067aa0ba902b7" && parsed.sampled)
        #expect(parsed.description == value)
        for bad in ["", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"] {
            #expect(TraceParent(bad) == nil, "\(bad)")
        }
    }

    @Test("the X-Ray form carries the same trace: Root=1-<8>-<24>;Parent=<16>;Sampled")
    func xRay() throws {
        let parsed = try #require(TraceParent("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"))
        #expect(parsed.xRayHeader == "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
        #expect(TraceParent(xRayHeader: "Sampled=0;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793")
                == TraceParent(traceId: "5759e988bd862e3fe1be46a994272793", parentId: "53995c3f42cd8ad8", sampled: false))
        #expect(TraceParent(xRayHeader: "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8") == nil)
    }

    @Test("headers carry injected context: replaced, not duplicated; extraction ignores header case")
    func carriers() {
        var headers = [KafkaHeader(key: "traceparent", value: Array("old".utf8)), KafkaHeader(key: "k", value: nil)]
        RecordHeadersInjector().inject("new", forKey: "traceparent", into: &headers)
        #expect(headers.filter { $0.key == "traceparent" }.count == 1)
        #expect(RecordHeadersExtractor().extract(key: "TraceParent", from: headers) == "new")
        #expect(RecordHeadersExtractor().extract(key: "missing", from: headers) == nil)
    }
}
