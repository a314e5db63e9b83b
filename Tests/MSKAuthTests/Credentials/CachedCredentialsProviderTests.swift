import Foundation
import Synchronization
import Testing
@testable import MSKAuth

@Suite("Credentials: caching and refresh")
struct CachedCredentialsProviderTests {
    /// A provider that counts calls and hands out credentials expiring `lifetime` after the test clock.
    final class Counting: AWSCredentialsProvider {
        let calls = Mutex(0)
        let clock: TestClock
        let lifetime: TimeInterval?
        let delay: Duration
        let failing = Atomic(false)

        init(clock: TestClock, lifetime: TimeInterval?, delay: Duration = .zero) {
            self.clock = clock
            self.lifetime = lifetime
            self.delay = delay
        }

        func credentials() async throws -> AWSCredentials {
            let call = calls.withLock { value -> Int in value += 1; return value }
            if delay > .zero { try await Task.sleep(for: delay) }
            if failing.load(ordering: .acquiring) { throw MSKAuthError(.credentialsProviderFailed, detail: "endpoint down") }
            return AWSCredentials(accessKeyID: "AKID\(call)", secretAccessKey: "s",
                                  expiration: lifetime.map { clock.now.addingTimeInterval($0) })
        }

        var count: Int { calls.withLock { $0 } }
    }

    final class TestClock: Sendable {
        private let current = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
        var now: Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
        var sigV4: SigV4Clock { SigV4Clock { [self] in now } }
    }

    @Test("credentials are kept until 5 minutes before expiry, then refreshed")
    func refreshBeforeExpiry() async throws {
        let clock = TestClock()
        let base = Counting(clock: clock, lifetime: 3600)
        let cache = CachedAWSCredentialsProvider(base, clock: clock.sigV4)
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        clock.advance(3600 - 301)
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        clock.advance(2)  // now inside the 5-minute margin
        #expect(try await cache.credentials().accessKeyID == "AKID2")
        #expect(base.count == 2)
        await cache.invalidate()
        #expect(try await cache.credentials().accessKeyID == "AKID3")
    }

    @Test("credentials without an expiry are fetched once")
    func noExpiry() async throws {
        let clock = TestClock()
        let base = Counting(clock: clock, lifetime: nil)
        let cache = CachedAWSCredentialsProvider(base, clock: clock.sigV4)
        for _ in 0..<5 { _ = try await cache.credentials() }
        clock.advance(86_400 * 365)
        _ = try await cache.credentials()
        #expect(base.count == 1)
    }

    @Test("concurrent callers share one refresh")
    func sharedRefresh() async throws {
        let clock = TestClock()
        let base = Counting(clock: clock, lifetime: 3600, delay: .milliseconds(200))
        let cache = CachedAWSCredentialsProvider(base, clock: clock.sigV4)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.credentials().accessKeyID } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(keys == Array(repeating: "AKID1", count: 20))
        #expect(base.count == 1)
    }

    @Test("a failed early refresh keeps the still-valid credentials; once expired, the error surfaces")
    func failedRefresh() async throws {
        let clock = TestClock()
        let base = Counting(clock: clock, lifetime: 600)
        let cache = CachedAWSCredentialsProvider(base, clock: clock.sigV4)
        _ = try await cache.credentials()
        base.failing.store(true, ordering: .releasing)
        clock.advance(400)  // inside the margin, not expired
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        clock.advance(300)  // expired
        await #expect(throws: MSKAuthError.self) { try await cache.credentials() }
    }

    @Test("expired credentials from the provider are refused")
    func expiredFromProvider() async throws {
        let clock = TestClock()
        let cache = CachedAWSCredentialsProvider(Counting(clock: clock, lifetime: -1), clock: clock.sigV4)
        await #expect(throws: MSKAuthError.self) { try await cache.credentials() }
    }
}
