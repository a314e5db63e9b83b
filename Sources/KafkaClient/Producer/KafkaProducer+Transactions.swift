/// Transactions (KIP-98, KIP-447): with `transactionalId` set, records sent
/// between `beginTransaction()` and `commitTransaction()` become visible to
/// `read_committed` consumers together, or, after `abortTransaction()`, never.
///
/// ```swift
/// var configuration = KafkaProducer.Configuration(bootstrapServers: ["localhost:9092"])
/// configuration.transactionalId = "payments-1"
/// let producer = try KafkaProducer(configuration: configuration)
/// try await producer.initTransactions()
/// try await producer.withTransaction {
///     try producer.send(KafkaProducerRecord(topic: "payments", key: "42", value: "settled"))
///     try await producer.sendOffsetsToTransaction([input: next], groupMetadata: consumer.groupMetadata())
/// }
/// ```
///
/// Errors follow the Java client: `.transactionAbortable` means this transaction
/// is lost (abort it and begin again); `.producerFenced` and `.transactionFatal`
/// mean the producer can only be closed (and `run()` throws them).
///
/// A call whose task is cancelled stops waiting and throws `.cancelled`. What it
/// sent may still take effect, so the transaction goes on as after a timeout: a
/// cancelled `commitTransaction()` must be called again (it may have committed), a
/// cancelled `sendOffsetsToTransaction` leaves the transaction abortable, and a
/// cancelled `abortTransaction()` may be called again.
extension KafkaProducer {
    /// Registers the transactional id with its coordinator: fences older producers
    /// with the same id and aborts their open transaction. Call once, before the first transaction.
    ///
    /// - Throws: `.illegalState` without `transactionalId` or when called twice;
    ///   `.requestTimedOut` after `maxBlock` (the call may be repeated);
    ///   `.transactionFatal` when the broker refuses (authorization, no transaction support).
    public func initTransactions() async throws(KafkaError) {
        let transactions = try requireTransactions()
        try transactions.update { (state) throws(KafkaError) in try state.initStarted() }
        do {
            try await transactions.initializeProducerId()
            _ = await transactions.refreshProtocol()  // v1 or v2, from the cluster's transaction.version
            transactions.state.withLock { $0.initFinished(nil) }
        } catch {
            transactions.state.withLock { $0.initFinished(error) }
            sender.noteIfFatal(error)
            throw error
        }
    }

    /// Starts a transaction; records sent from now on belong to it.
    public func beginTransaction() throws(KafkaError) {
        try requireTransactions().update { (state) throws(KafkaError) in try state.begin() }
    }

    /// Adds consumed offsets to the transaction, committed to `groupMetadata`'s group
    /// if and only if the transaction commits (consume-transform-produce).
    ///
    /// - Parameter offsets: per partition, the next offset to consume (last processed + 1).
    /// - Parameter groupMetadata: the consumer's `groupMetadata()`, so offsets from a
    ///   member the group has since fenced are refused.
    public func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], groupMetadata: ConsumerGroupMetadata) async throws(KafkaError) {
        let transactions = try requireTransactions()
        try transactions.update { (state) throws(KafkaError) in try state.checkInTransaction(for: "sendOffsetsToTransaction") }
        guard !offsets.isEmpty else { return }
        do {
            try await transactions.sendOffsets(offsets, group: groupMetadata)
        } catch {
            // A timed-out or cancelled call may have added the offsets or not: only an abort is safe.
            let unknown = error.code == .requestTimedOut || error.code == .cancelled
            transactions.state.withLock { $0.failed(unknown ? Self.abortable(error) : error) }
            sender.noteIfFatal(error)
            throw error
        }
    }

    /// Sends every record of the transaction, then commits it.
    ///
    /// - Throws: `.transactionAbortable` when a record or the commit failed
    ///   (call `abortTransaction()`), `.producerFenced` or `.transactionFatal`;
    ///   `.requestTimedOut` when the coordinator did not answer within `max.block.ms`:
    ///   the transaction may have committed, so call `commitTransaction()` again
    ///   (aborting is refused until the outcome is known), as with the Java client.
    public func commitTransaction() async throws(KafkaError) {
        let transactions = try requireTransactions()
        try transactions.update { (state) throws(KafkaError) in try state.commitStarted() }
        await flush()
        if Task.isCancelled {
            // Cancelled while the records were still being sent: committing again goes on from here.
            transactions.state.withLock { $0.commitOutcomeUnknown() }
            throw KafkaError.cancelled("commitTransaction")
        }
        if let failure = transactions.state.withLock({ $0.failure }) { throw failure }
        if transactions.state.withLock({ $0.hasStartedOnCoordinator }) {
            do {
                try await transactions.endTransaction(commit: true)
            } catch {
                // A timed-out or cancelled EndTxn may have committed: only another commit may follow.
                if error.code == .requestTimedOut || error.code == .cancelled {
                    transactions.state.withLock { $0.commitOutcomeUnknown() }
                } else {
                    transactions.state.withLock { $0.failed(error) }
                    sender.noteIfFatal(error)
                }
                throw error
            }
        }
        transactions.state.withLock { $0.completed() }
        accumulator.clearTransactionPartitions()
        await transactions.prepareNextTransaction()
    }

    /// Aborts the transaction: unsent records fail with `.transactionAbortable`,
    /// written ones stay hidden from `read_committed` consumers, offsets are dropped.
    /// Also the way out of an abortable error.
    public func abortTransaction() async throws(KafkaError) {
        let transactions = try requireTransactions()
        try transactions.update { (state) throws(KafkaError) in try state.abortStarted() }
        sender.failUnsent(error: KafkaError(.transactionAbortable, detail: "the transaction was aborted"))
        await flush()
        do throws(KafkaError) {
            if Task.isCancelled { throw KafkaError.cancelled("abortTransaction") }
            if transactions.state.withLock({ $0.hasStartedOnCoordinator }) {
                try await transactions.endTransaction(commit: false)
            }
            if accumulator.needsEpochBump {
                // A failed batch left a sequence gap: a new epoch restarts the sequences.
                // (With transactions v2 the EndTxn above has bumped it already.)
                try await transactions.initializeProducerId(bumpingCurrent: true)
            }
        } catch {
            transactions.state.withLock { $0.failed(error) }
            sender.noteIfFatal(error)
            if error.code == .producerFenced || error.code == .transactionFatal { throw error }
            // Still aborting: leave the state so the abort can be called again.
            transactions.state.withLock { $0.abortRetryable() }
            throw error
        }
        transactions.state.withLock { $0.completed() }
        accumulator.clearTransactionPartitions()
        await transactions.prepareNextTransaction()
    }

    /// Runs `body` in a transaction: commits when it returns, aborts when it or the
    /// commit throws (unless the producer is fenced or fatally failed, or the commit
    /// timed out with its outcome unknown: then call `commitTransaction()` again), and rethrows.
    @discardableResult
    public func withTransaction<T>(_ body: () async throws -> T) async throws -> T {
        try beginTransaction()
        let result: T
        do {
            result = try await body()
            try await commitTransaction()
        } catch {
            if let kafkaError = error as? KafkaError, kafkaError.code == .producerFenced || kafkaError.code == .transactionFatal {
                throw error
            }
            if transactions?.state.withLock({ $0.isCommitOutcomeUnknown }) == true { throw error }
            try await abortTransaction()
            throw error
        }
        return result
    }

    private func requireTransactions() throws(KafkaError) -> TransactionManager {
        guard let transactions else {
            throw KafkaError(.illegalState, detail: "transactions need a producer configured with transactionalId")
        }
        return transactions
    }

    private static func abortable(_ error: KafkaError) -> KafkaError {
        KafkaError(.transactionAbortable, detail: error.detail, apiKey: error.apiKey, brokerId: error.brokerId,
                   brokerErrorCode: error.brokerErrorCode)
    }
}
