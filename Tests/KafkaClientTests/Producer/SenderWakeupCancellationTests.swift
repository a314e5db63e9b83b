import Synchronization
import Testing
@testable import KafkaClient

/// The sender's and fetcher's wake-up wait honours cancellation, and a cancelled
/// wait's timer cannot wake a later one.
@Suite("SenderWakeup and cancellation")
struct SenderWakeupCancellationTests {
    @Test("a wait with a 30 s deadline returns within 2 s of its task's cancellation")
    func cancelledWaitReturns() async throws {
        let wakeup = SenderWakeup()
        let returned = VisibleLock<ContinuousClock.Instant?>(nil)
        let task = Task {
            await wakeup.wait(until: .now.advanced(by: .seconds(30)))
            returned.withLock { $0 = .now }
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(returned.withLock { $0 == nil }, "the wait returned before it was cancelled")
        let cancelledAt = ContinuousClock.now
        task.cancel()
        while returned.withLock({ $0 == nil }), cancelledAt.duration(to: .now) < .seconds(2) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let elapsed = returned.withLock { $0 }.map { cancelledAt.duration(to: $0) }
        #expect(elapsed != nil, "still waiting 2 s after the cancellation")
        wakeup.signal()  // ends a wait that ignored the cancellation
        await task.value
    }

    @Test("after a cancelled wait, the next wait still sleeps until its own deadline")
    func laterWaitUnaffected() async throws {
        let wakeup = SenderWakeup()
        let first = Task { await wakeup.wait(until: .now.advanced(by: .milliseconds(300))) }
        try await Task.sleep(for: .milliseconds(50))
        first.cancel()
        await first.value
        let start = ContinuousClock.now
        await wakeup.wait(until: start.advanced(by: .milliseconds(600)))
        // The first wait's timer fires at 300 ms into the test, during this wait: it must not end it.
        #expect(start.duration(to: .now) >= .milliseconds(550))
    }
}
