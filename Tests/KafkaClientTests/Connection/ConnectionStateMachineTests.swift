import KafkaWire
import Testing
@testable import KafkaClient

@Suite("Connection: state machine requests, ordering, timeouts, closing")
struct ConnectionStateMachineTests {
    typealias F = ConnectionFixtures
    typealias Machine = ConnectionStateMachine

    @Test("happy path: connect, negotiate at v4, pipelined requests answered in order")
    func happyPath() throws {
        var machine = Machine(configuration: .init(brokerId: 1, address: "b:9092", maxInFlight: 5))
        // Requests before the connection is up wait.
        #expect(machine.enqueue(F.metadataRequest(1), now: F.start).isEmpty)
        #expect(machine.start() == [.connect])
        let negotiate = machine.connected(now: F.start)
        #expect(negotiate == [.sendApiVersions(version: 4, correlationId: 0)])
        let reply = try F.apiVersionsResponse(F.brokerRanges).encodeFrame(version: 4, correlationId: 0)
        let ready = machine.frameReceived(reply, now: F.start)
        #expect(ready.first == .connectionReady(ApiVersionTable(ranges: F.brokerRanges)))
        #expect(ready.sends.map(\.token) == [1])
        #expect(ready.sends.first?.version == 12)

        var sends = ready.sends
        for token: UInt64 in 2...4 { sends += machine.enqueue(F.metadataRequest(token), now: F.start).sends }
        #expect(sends.map(\.correlationId) == [1, 2, 3, 4])
        #expect(machine.inFlightCount == 4)
        for send in sends {
            let actions = machine.frameReceived(try F.metadataFrame(correlationId: send.correlationId, version: send.version), now: F.start)
            #expect(actions.delivered == [send.token])
        }
        #expect(machine.inFlightCount == 0)
        #expect(machine.isReady)
    }

    @Test("10,000 requests in flight are all matched in order")
    func tenThousandInFlight() throws {
        var machine = try F.readyMachine(maxInFlight: 10_000)
        var sends: [(token: UInt64, correlationId: Int32, version: Int16)] = []
        for token in UInt64(0)..<10_000 { sends += machine.enqueue(F.metadataRequest(token), now: F.start).sends }
        #expect(sends.count == 10_000)
        #expect(machine.inFlightCount == 10_000)
        let frame = try F.metadataFrame(correlationId: 0, version: 12)
        var delivered: [UInt64] = []
        for send in sends {
            var copy = frame
            withUnsafeBytes(of: send.correlationId.bigEndian) { copy.replaceSubrange(0..<4, with: $0) }
            delivered += machine.frameReceived(copy, now: F.start).delivered
        }
        #expect(delivered == Array(0..<10_000))
        #expect(machine.inFlightCount == 0 && machine.isReady)
    }

    @Test("an out-of-order correlation id is a protocol violation that fails everything")
    func outOfOrder() throws {
        var machine = try F.readyMachine()
        var sends = machine.enqueue(F.metadataRequest(1), now: F.start).sends
        sends += machine.enqueue(F.metadataRequest(2), now: F.start).sends
        let actions = machine.frameReceived(try F.metadataFrame(correlationId: sends[1].correlationId, version: 12), now: F.start)
        #expect(actions.delivered.isEmpty)
        #expect(Set(actions.failures.map(\.token)) == [1, 2])
        #expect(actions.failures.allSatisfy { $0.error.code == .protocolViolation && $0.error.address == "broker-1:9092" })
        #expect(actions.closeError??.code == .protocolViolation)
        #expect(machine.isClosed)
        // Later requests fail at once.
        #expect(machine.enqueue(F.metadataRequest(3), now: F.start).failures.first?.error.code == .connectionClosed)
    }

    @Test("unknown correlation ids and truncated frames close the connection")
    func unknownId() throws {
        var idle = try F.readyMachine()
        #expect(idle.frameReceived(try F.metadataFrame(correlationId: 77, version: 12), now: F.start).closeError??.code == .protocolViolation)
        var short = try F.readyMachine()
        _ = short.enqueue(F.metadataRequest(1), now: F.start)
        let actions = short.frameReceived([0, 1], now: F.start)
        #expect(actions.failures.map(\.token) == [1])
        #expect(short.isClosed)
    }

    @Test("a timed-out request fails with requestTimedOut and closes; the rest fail as closed")
    func timeout() throws {
        var machine = try F.readyMachine()
        _ = machine.enqueue(F.metadataRequest(1, timeout: .seconds(1)), now: F.start)
        _ = machine.enqueue(F.metadataRequest(2, timeout: .seconds(60)), now: F.start)
        #expect(machine.tick(now: F.start.advanced(by: .milliseconds(999))).isEmpty)
        let actions = machine.tick(now: F.start.advanced(by: .seconds(2)))
        let byToken = Dictionary(uniqueKeysWithValues: actions.failures.map { ($0.token, $0.error.code) })
        #expect(byToken == [1: .requestTimedOut, 2: .connectionClosed])
        #expect(actions.closeError??.code == .requestTimedOut)
        #expect(machine.isClosed)
    }

    @Test("a queued request past its deadline fails without closing the connection")
    func queuedTimeout() throws {
        var machine = try F.readyMachine(maxInFlight: 1)
        _ = machine.enqueue(F.metadataRequest(1, timeout: .seconds(60)), now: F.start)
        _ = machine.enqueue(F.metadataRequest(2, timeout: .seconds(1)), now: F.start)
        let actions = machine.tick(now: F.start.advanced(by: .seconds(2)))
        #expect(actions.failures.map(\.token) == [2])
        #expect(actions.failures.first?.error.code == .requestTimedOut)
        #expect(actions.closeError == nil)
        #expect(machine.isReady && machine.inFlightCount == 1 && machine.queuedCount == 0)
    }

    @Test("acks=0 requests complete when sent and take no in-flight slot")
    func noResponseExpected() throws {
        var machine = try F.readyMachine(maxInFlight: 1)
        let produce = Machine.Request(ProduceRequest.self, token: 9, expectsResponse: false)
        let actions = machine.enqueue(produce, now: F.start)
        #expect(actions == [.send(token: 9, correlationId: 1, version: 11), .completeWithoutResponse(token: 9)])
        #expect(machine.inFlightCount == 0)
        // The next response-bearing request still gets the single slot.
        #expect(machine.enqueue(F.metadataRequest(10), now: F.start).sends.map(\.correlationId) == [2])
    }

    @Test("max in flight queues the rest; each response releases one")
    func maxInFlight() throws {
        var machine = try F.readyMachine(maxInFlight: 2)
        var sends: [(token: UInt64, correlationId: Int32, version: Int16)] = []
        for token: UInt64 in 1...5 { sends += machine.enqueue(F.metadataRequest(token), now: F.start).sends }
        #expect(sends.map(\.token) == [1, 2])
        #expect(machine.queuedCount == 3)
        var order: [UInt64] = []
        while let next = sends.first {
            sends.removeFirst()
            let actions = machine.frameReceived(try F.metadataFrame(correlationId: next.correlationId, version: next.version), now: F.start)
            order += actions.delivered
            sends += actions.sends
            #expect(machine.inFlightCount <= 2)
        }
        #expect(order == [1, 2, 3, 4, 5])
        #expect(machine.queuedCount == 0)
    }

    @Test("closing fails pending requests with connectionClosed; draining lets written ones finish")
    func close() throws {
        var machine = try F.readyMachine(maxInFlight: 1)
        _ = machine.enqueue(F.metadataRequest(1), now: F.start)
        _ = machine.enqueue(F.metadataRequest(2), now: F.start)
        let actions = machine.closeRequested(drain: false)
        #expect(actions.failures.map(\.token) == [1, 2])
        #expect(actions.failures.allSatisfy { $0.error.code == .connectionClosed })
        #expect(actions.last == .closeConnection(nil))

        var draining = try F.readyMachine(maxInFlight: 1)
        let first = draining.enqueue(F.metadataRequest(1), now: F.start).sends[0]
        _ = draining.enqueue(F.metadataRequest(2), now: F.start)
        let closing = draining.closeRequested(drain: true)
        #expect(closing.failures.map(\.token) == [2])
        #expect(closing.closeError == nil)
        #expect(draining.enqueue(F.metadataRequest(3), now: F.start).failures.map(\.token) == [3])
        let done = draining.frameReceived(try F.metadataFrame(correlationId: first.correlationId, version: 12), now: F.start)
        #expect(done == [.deliver(token: 1, version: 12, frame: try F.metadataFrame(correlationId: first.correlationId, version: 12)), .closeConnection(nil)])
        #expect(draining.isClosed)
    }

    @Test("an I/O error fails everything pending with that error")
    func ioError() throws {
        var machine = try F.readyMachine(maxInFlight: 1)
        _ = machine.enqueue(F.metadataRequest(1), now: F.start)
        _ = machine.enqueue(F.metadataRequest(2), now: F.start)
        let actions = machine.ioError("connection reset by peer")
        #expect(actions.failures.map(\.token) == [1, 2])
        #expect(actions.failures.allSatisfy { $0.error.code == .ioError && $0.error.underlying == "connection reset by peer" })
        #expect(machine.isClosed)
        #expect(machine.ioError("again").isEmpty)

        var connecting = Machine(configuration: .init())
        _ = connecting.enqueue(F.metadataRequest(5), now: F.start)
        _ = connecting.start()
        let failed = connecting.connectFailed("refused")
        #expect(failed.failures.map(\.token) == [5])
        #expect(failed.closeError == nil)
    }

    @Test("a request whose API the broker lacks fails alone")
    func requestWithoutOverlap() throws {
        var machine = try F.readyMachine(ranges: [.apiVersions: 0...4, .metadata: 0...12])
        let actions = machine.enqueue(.init(ProduceRequest.self, token: 3), now: F.start)
        #expect(actions.failures.first?.error.code == .apiNotSupported)
        #expect(actions.failures.first?.error.brokerId == 1)
        #expect(machine.isReady)
    }

    @Test("an unanswered ApiVersions closes the connection after the setup timeout")
    func negotiationTimeout() {
        var machine = Machine(configuration: .init())
        _ = machine.enqueue(F.metadataRequest(1), now: F.start)
        _ = machine.start()
        _ = machine.connected(now: F.start)
        #expect(machine.tick(now: F.start.advanced(by: .seconds(9))).isEmpty)
        let actions = machine.tick(now: F.start.advanced(by: .seconds(11)))
        #expect(actions.failures.map(\.token) == [1])
        #expect(actions.closeError??.code == .requestTimedOut)
        #expect(actions.closeError??.apiKey == .apiVersions)
    }

    @Test("a zero in-flight limit set after init still lets one request through")
    func zeroLimit() throws {
        var configuration = Machine.Configuration()
        configuration.maxInFlight = 0
        var machine = Machine(configuration: configuration)
        _ = machine.start()
        _ = machine.connected(now: F.start)
        _ = machine.frameReceived(try F.apiVersionsResponse(F.brokerRanges).encodeFrame(version: 4, correlationId: 0), now: F.start)
        #expect(machine.enqueue(F.metadataRequest(1), now: F.start).sends.count == 1)
        #expect(machine.enqueue(F.metadataRequest(2), now: F.start).sends.isEmpty)
    }

    @Test("throttled (KIP-219): queued requests wait until the throttle time has passed, then go out on a tick")
    func throttleHoldsRequests() throws {
        var machine = try F.readyMachine()
        machine.throttled(for: .milliseconds(200), now: F.start)
        #expect(machine.enqueue(F.metadataRequest(1), now: F.start.advanced(by: .milliseconds(10))).sends.isEmpty)
        #expect(machine.tick(now: F.start.advanced(by: .milliseconds(199))).sends.isEmpty)
        #expect(machine.queuedCount == 1)
        #expect(machine.tick(now: F.start.advanced(by: .milliseconds(200))).sends.map(\.token) == [1])
        #expect(machine.throttledUntil == nil)
        machine.throttled(for: .zero, now: F.start)
        #expect(machine.enqueue(F.metadataRequest(2), now: F.start.advanced(by: .milliseconds(201))).sends.map(\.token) == [2])
    }
}
