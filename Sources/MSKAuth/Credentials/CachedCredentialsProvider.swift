import Foundation
import KafkaClient

/// Keeps credentials from another provider until shortly before they expire.
///
/// Credentials are refreshed `refreshBeforeExpiry` (5 minutes by default)
/// before their expiration; credentials without one are kept for good.
/// Concurrent callers share one refresh. If a refresh fails while the cached
/// credentials are still valid, those are returned, so a brief outage of the
/// metadata endpoint does not fail authentication.
public actor CachedAWSCredentialsProvider: AWSCredentialsProvider {
    /// How long before expiry credentials are replaced unless told otherwise.
    public static let defaultRefreshBeforeExpiry: Duration = .seconds(300)

    let base: any AWSCredentialsProvider
    let margin: TimeInterval
    let clock: SigV4Clock
    private var cached: AWSCredentials?
    private var refresh: Task<AWSCredentials, any Error>?

    /// - Parameters:
    ///   - base: where credentials come from.
    ///   - refreshBeforeExpiry: how long before expiry to fetch new ones.
    ///   - clock: the time expiries are compared with (a fixed one in tests).
    public init(_ base: any AWSCredentialsProvider,
                refreshBeforeExpiry: Duration = CachedAWSCredentialsProvider.defaultRefreshBeforeExpiry,
                clock: SigV4Clock = .system) {
        self.base = base
        self.margin = refreshBeforeExpiry.inSeconds
        self.clock = clock
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, isFresh(cached) { return cached }
        let task: Task<AWSCredentials, any Error>
        if let refresh {
            task = refresh
        } else {
            task = Task { [base] in try await base.credentials() }
            refresh = task
        }
        do {
            let fresh = try await task.value
            if refresh == task { refresh = nil }
            if let expiration = fresh.expiration, expiration <= clock.now() {
                throw MSKAuthError(.credentialsProviderFailed, detail: "the provider returned expired credentials")
            }
            cached = fresh
            return fresh
        } catch {
            if refresh == task { refresh = nil }
            if let cached, let expiration = cached.expiration, expiration > clock.now() { return cached }
            throw error
        }
    }

    /// Drops the cached credentials, so the next call fetches new ones.
    public func invalidate() {
        cached = nil
    }

    private func isFresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return expiration.timeIntervalSince(clock.now()) > margin
    }
}
