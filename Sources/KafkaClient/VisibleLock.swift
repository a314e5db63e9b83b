#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
#error("KafkaClient needs Glibc or Musl")
#endif

/// A value behind a pthread mutex, for state that threads of their own (the
/// connections', the fake cluster's) share with tasks. `Synchronization.Mutex`
/// waits on futexes the thread sanitizer cannot see, so under contention it
/// reported races on state only ever touched with the lock held (the fake
/// cluster's state, the connection mailbox, the record accumulator); a pthread
/// mutex it does see. Uncontended, both are one atomic operation each way.
package final class VisibleLock<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        #if canImport(Glibc)
        // Held for a few instructions at a time: spinning briefly before sleeping in the
        // kernel saves the futex calls a plain mutex makes whenever the fetcher or a
        // connection thread and a task meet at it (Mutex spins too).
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        #endif
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, the lock held.
    package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
