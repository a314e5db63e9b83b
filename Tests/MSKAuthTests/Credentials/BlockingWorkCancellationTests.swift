import Foundation
import Testing
@testable import MSKAuth

/// Blocking credential work (HTTP to a metadata endpoint, a child process) runs off
/// the concurrency pool; a cancelled caller stops waiting for it at once.
@Suite("BlockingWork and cancellation")
struct BlockingWorkCancellationTests {
    @Test("a caller waiting for 3 s of blocking work throws CancellationError within 1 s of its cancellation")
    func cancelledCallerStopsWaiting() async throws {
        let task = Task { () -> (any Error)? in
            do {
                _ = try await BlockingWork.run { () -> Int in
                    Thread.sleep(forTimeInterval: 3)
                    return 1
                }
                return nil
            } catch {
                return error
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let error = await task.value
        #expect(cancelledAt.duration(to: .now) < .seconds(1))
        #expect(error is CancellationError)
    }
}
