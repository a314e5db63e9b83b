import KafkaWire
import Testing
@testable import KafkaClient

@Suite("Connection: a request that cannot be encoded fails alone")
struct ConnectionSendFailedTests {
    typealias F = ConnectionFixtures

    @Test("the failed request's correlation id is forgotten; later responses still match, the queue moves on")
    func sendFailedForgetsCorrelationId() throws {
        var machine = try F.readyMachine(maxInFlight: 2)
        let first = machine.enqueue(F.metadataRequest(1), now: F.start).sends
        let second = machine.enqueue(F.metadataRequest(2), now: F.start).sends
        let third = machine.enqueue(F.metadataRequest(3), now: F.start)
        #expect(third.sends.isEmpty, "queued behind the in-flight limit")
        let broken = try #require(second.first)

        let actions = machine.sendFailed(token: broken.token, correlationId: broken.correlationId,
                                         KafkaError(.invalidConfiguration, detail: "cannot encode"), now: F.start)
        #expect(actions.failures.map(\.token) == [2])
        #expect(actions.failures.first?.error.apiKey == .metadata)
        #expect(actions.failures.first?.error.brokerId == 1)
        #expect(actions.sends.map(\.token) == [3], "the freed slot goes to the queued request")
        #expect(machine.inFlightCount == 2)

        let head = try #require(first.first)
        let delivered = machine.frameReceived(try F.metadataFrame(correlationId: head.correlationId, version: head.version), now: F.start)
        #expect(delivered.delivered == [1])
        let next = try #require(actions.sends.first)
        let last = machine.frameReceived(try F.metadataFrame(correlationId: next.correlationId, version: next.version), now: F.start)
        #expect(last.delivered == [3])
        #expect(machine.isReady)
    }

    @Test("an unknown correlation id changes nothing")
    func unknownCorrelationId() throws {
        var machine = try F.readyMachine()
        _ = machine.enqueue(F.metadataRequest(1), now: F.start)
        #expect(machine.sendFailed(token: 9, correlationId: 999, KafkaError(.invalidConfiguration, detail: "x"), now: F.start).isEmpty)
        #expect(machine.inFlightCount == 1)
    }
}
