import KafkaWire

/// One broker's incremental fetch session (KIP-227), as a plain value: which
/// partitions the next Fetch must name, and what the broker's session remembers.
///
/// The first request (epoch 0) names every partition and asks for a session. Once
/// the broker gives a session id, later requests name only partitions whose fetch
/// offset changed or that are new, list those no longer wanted as forgotten, and
/// the broker answers only for partitions with something to say. A partition whose
/// leader epoch changed is named again too, so the broker checks the new epoch. A
/// session error or a failed request starts over with a full fetch that names the
/// old session id, so the broker frees it (KIP-227's "close and create"), except
/// after FETCH_SESSION_ID_NOT_FOUND. A broker that gives no session id gets full
/// fetches throughout.
struct FetchSession: Sendable {
    /// What one Fetch request carries for the session.
    struct Plan: Sendable, Equatable {
        var sessionId: Int32
        var epoch: Int32
        /// Partitions named in the request, with their fetch offsets.
        var partitions: [TopicPartition: Int64]
        /// Partitions the broker's session should drop.
        var forgotten: [TopicPartition]
        /// The current leader epochs the named partitions are sent with.
        var leaderEpochs: [TopicPartition: Int32] = [:]
        var isFull: Bool { epoch == 0 }
    }

    private(set) var sessionId: Int32 = 0
    private(set) var epoch: Int32 = 0
    /// The fetch offsets the broker's session holds, as last sent.
    private var remembered: [TopicPartition: Int64] = [:]
    /// The current leader epochs the broker's session holds, as last sent.
    private var rememberedEpochs: [TopicPartition: Int32] = [:]
    /// The plan of the request in flight, applied when its response arrives.
    private var pending: Plan?

    var isInFlight: Bool { pending != nil }

    /// The request for fetching `wanted` (partition to fetch offset) now, each with
    /// its current leader epoch from `leaderEpochs` (-1 when absent).
    mutating func plan(_ wanted: [TopicPartition: Int64], leaderEpochs: [TopicPartition: Int32] = [:]) -> Plan {
        let plan: Plan
        if epoch == 0 {
            plan = Plan(sessionId: sessionId, epoch: 0, partitions: wanted, forgotten: [],
                        leaderEpochs: leaderEpochs.filter { wanted[$0.key] != nil })
        } else {
            let changed = wanted.filter { key, offset in
                remembered[key] != offset || rememberedEpochs[key] != leaderEpochs[key]
            }
            let forgotten = remembered.keys.filter { wanted[$0] == nil }
            plan = Plan(sessionId: sessionId, epoch: epoch, partitions: changed, forgotten: forgotten,
                        leaderEpochs: leaderEpochs.filter { changed[$0.key] != nil })
        }
        pending = plan
        return plan
    }

    /// The response's top-level error code and session id for the request in flight.
    mutating func received(errorCode: KafkaErrorCode, sessionId responseSessionId: Int32) {
        guard let plan = pending else { return }
        pending = nil
        guard !errorCode.isError else { return reset(closingExisting: errorCode != .fetchSessionIdNotFound) }
        if plan.isFull {
            remembered = plan.partitions
            rememberedEpochs = plan.leaderEpochs
            sessionId = responseSessionId
            // Without a session id the broker keeps no session: stay with full fetches.
            epoch = responseSessionId == 0 ? 0 : 1
        } else {
            for (key, offset) in plan.partitions {
                remembered[key] = offset
                rememberedEpochs[key] = plan.leaderEpochs[key]
            }
            for key in plan.forgotten {
                remembered[key] = nil
                rememberedEpochs[key] = nil
            }
            epoch = epoch == Int32.max ? 1 : epoch + 1
        }
    }

    /// Forgets the session after a failed request: the next fetch is a full one. With
    /// `closingExisting` it names the old session id at epoch 0, which tells the broker
    /// to close that session and open a new one (as the Java client's
    /// `nextCloseExisting`); otherwise (the broker no longer knows the id) it asks for
    /// a new session.
    mutating func reset(closingExisting: Bool = true) {
        if !closingExisting { sessionId = 0 }
        epoch = 0
        remembered = [:]
        rememberedEpochs = [:]
        pending = nil
    }
}
