/// Produce requests outstanding on each broker's current connection, so that a new
/// connection to a broker carries nothing until every request of the one before it
/// has been answered or failed.
///
/// A connection that closes fails its requests one at a time, and the sender drains
/// between those failures. Without this, a later batch of a partition (or the retry
/// of one) could go out on the new connection while an earlier batch's failure was
/// still on its way: the broker then acknowledges sequences past a batch the client
/// has yet to resend, and once five later batches are in, that batch's retry is
/// answered OUT_OF_ORDER_SEQUENCE_NUMBER for ever although it is in the log. The
/// Java producer's one network thread handles all of a closed connection's failures
/// before it sends again; this gives our threads the same order.
final class ConnectionHandover: Sendable {
    private struct Current {
        var connection: ObjectIdentifier
        var outstanding: Int
    }

    private let current = VisibleLock<[Int32: Current]>([:])

    /// Whether a request may go to `broker` on `connection` now; if so it counts as
    /// outstanding until ``finished(broker:on:)``. False while an earlier connection
    /// to the broker still has requests whose outcome is not handled yet.
    func begin(broker: Int32, on connection: AnyObject) -> Bool {
        let id = ObjectIdentifier(connection)
        return current.withLock { current in
            if let previous = current[broker], previous.connection != id {
                guard previous.outstanding == 0 else { return false }
                current[broker] = Current(connection: id, outstanding: 1)
            } else {
                current[broker, default: Current(connection: id, outstanding: 0)].outstanding += 1
            }
            return true
        }
    }

    /// A request begun on `connection` has been handled: its batches are acknowledged,
    /// failed or back in their queues. Call it after that handling, never before.
    func finished(broker: Int32, on connection: AnyObject) {
        current.withLock { current in
            guard current[broker]?.connection == ObjectIdentifier(connection) else { return }
            current[broker]?.outstanding -= 1
        }
    }
}
