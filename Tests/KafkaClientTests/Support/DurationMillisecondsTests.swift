import KafkaWire
import Testing
@testable import KafkaClient

/// Durations become the protocol's millisecond fields (timeouts, max wait) without
/// losing their sub-second part, never shortened to 0 and never overflowing.
@Suite("Duration to milliseconds")
struct DurationMillisecondsTests {
    @Test("whole milliseconds are kept, sub-second parts included")
    func wholeMilliseconds() {
        #expect(Duration.milliseconds(1500).wholeMillisecondsRoundedUp == 1500)
        #expect(Duration.seconds(30).wholeMillisecondsRoundedUp == 30_000)
        #expect(Duration.milliseconds(250).int32MillisecondsRoundedUp == 250)
        #expect(Duration.zero.int32MillisecondsRoundedUp == 0)
    }

    @Test("a sub-millisecond remainder rounds up, so a short timeout never becomes 0")
    func roundsUp() {
        #expect(Duration.microseconds(1).wholeMillisecondsRoundedUp == 1)
        #expect(Duration.microseconds(1500).wholeMillisecondsRoundedUp == 2)
        #expect(Duration.nanoseconds(1_000_000_001).int32MillisecondsRoundedUp == 1001)
        #expect(Duration(secondsComponent: 0, attosecondsComponent: 1).int32MillisecondsRoundedUp == 1)
    }

    @Test("negative durations are 0, huge ones clamp instead of overflowing")
    func clamps() {
        #expect(Duration.milliseconds(-5).wholeMillisecondsRoundedUp == 0)
        #expect(Duration.seconds(-1).int32MillisecondsRoundedUp == 0)
        #expect(Duration.seconds(3_000_000).int32MillisecondsRoundedUp == Int32.max)
        #expect(Duration.seconds(Int64.max).wholeMillisecondsRoundedUp == Int64.max)
        #expect(Duration.seconds(Int64.max).int32MillisecondsRoundedUp == Int32.max)
    }

    @Test("Produce carries request.timeout.ms to the millisecond")
    func produceTimeout() {
        var configuration = KafkaProducer.Configuration(bootstrapServers: ["localhost:9092"])
        configuration.requestTimeout = .milliseconds(1500)
        #expect(ProducerSender.produceRequest(for: [], configuration: configuration).timeoutMs == 1500)
        configuration.requestTimeout = .milliseconds(400)
        #expect(ProducerSender.produceRequest(for: [], configuration: configuration).timeoutMs == 400)
    }

    @Test("InitProducerId carries transaction.timeout.ms rounded up")
    func transactionTimeout() {
        #expect(TransactionManager.initProducerIdRequest(transactionalId: "t", timeout: .milliseconds(2500)).transactionTimeoutMs == 2500)
        #expect(TransactionManager.initProducerIdRequest(transactionalId: "t", timeout: .microseconds(1500)).transactionTimeoutMs == 2)
    }
}
