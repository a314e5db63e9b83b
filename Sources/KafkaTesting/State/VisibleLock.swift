#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
#error("KafkaTesting needs Glibc or Musl")
#endif

/// A value behind a pthread mutex. The fake cluster's state is touched from every
/// connection thread and its clock; `Synchronization.Mutex` locks through futexes the
/// thread sanitizer cannot see, so it reported races that cannot happen (CI's TSan
/// step failed on one). A pthread mutex it does see.
final class VisibleLock<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, the lock held.
    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
