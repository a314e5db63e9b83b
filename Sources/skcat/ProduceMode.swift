import Foundation
import KafkaClient
import KafkaWire
import Logging
import Synchronization

/// `-P`: produce records read from stdin (one per `-D` delimiter, newline by
/// default) or from files (one record per file, or per line with `-l`).
struct ProduceMode {
    let arguments: KcatArguments
    let properties: ClientProperties
    let logger: Logger

    /// Delivery outcomes, counted as the reports arrive.
    final class Outcomes: Sendable {
        let delivered = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        let firstError = VisibleLock<KafkaError?>(nil)
    }

    func run() async throws(SkcatFailure) {
        guard let topic = arguments.topic else { throw .usage("-P needs a topic (-t)") }
        let (producer, events) = try SkcatFailure.kafka { () throws(KafkaError) in
            try KafkaProducer.makeProducerWithEvents(configuration: properties.producer, logger: logger)
        }
        let outcomes = Outcomes()
        let reports = Task {
            for await event in events {
                switch event {
                case .deliveryReports(let batch):
                    for report in batch {
                        if let error = report.error {
                            outcomes.failed.add(1, ordering: .relaxed)
                            outcomes.firstError.withLock { $0 = $0 ?? error }
                        } else {
                            outcomes.delivered.add(1, ordering: .relaxed)
                        }
                    }
                case .error(let error):
                    logger.debug("producer error", metadata: ["error": "\(error)"])
                }
            }
        }
        do throws(KafkaError) {
            // An unknown topic fails here at once rather than after delivery.timeout.ms.
            _ = try await OffsetLookup.partitions(producer.cluster, topic: topic, only: arguments.partition)
        } catch {
            await producer.close()
            _ = await reports.value
            throw .kafka(error)
        }

        // kcat's transactional produce: the whole run is one transaction.
        let transactional = properties.producer.transactionalId != nil
        if transactional {
            do throws(KafkaError) {
                try await producer.initTransactions()
                try producer.beginTransaction()
            } catch {
                await producer.close()
                _ = await reports.value
                throw .kafka(error)
            }
        }

        let began = ContinuousClock.now
        var lastReport = began
        var sent = 0
        var bytes = 0
        var sendError: KafkaError?
        let headers = arguments.headers.map { KafkaHeader(key: $0.name, value: Array($0.value.utf8)) }
        let keyDelimiter = arguments.keyDelimiter.map { Array($0.utf8) }
        do throws(SkcatFailure) {
            try await forEachInput { (payload: [UInt8]) async -> Bool in
                var key: [UInt8]?
                var value = payload
                if let keyDelimiter, let cut = Self.find(keyDelimiter, in: payload) {
                    key = Array(payload[..<cut])
                    value = Array(payload[(cut + keyDelimiter.count)...])
                }
                let record = KafkaProducerRecord(topic: topic, partition: arguments.partition, key: key, value: value, headers: headers)
                while true {
                    do throws(KafkaError) {
                        try producer.send(record)
                        break
                    } catch where error.code == .queueFull {
                        await producer.waitForBufferSpace()
                    } catch {
                        sendError = error
                        return false
                    }
                }
                sent += 1
                bytes += value.count + (key?.count ?? 0)
                if !arguments.quiet, sent % 1000 == 0, lastReport.duration(to: .now) > .seconds(10) {
                    lastReport = .now
                    Console.info("\(sent) messages sent, \(outcomes.delivered.load(ordering: .relaxed)) delivered", quiet: false)
                }
                return true
            }
        } catch {
            if transactional { try? await producer.abortTransaction() }
            await producer.close()
            _ = await reports.value
            throw error
        }
        if transactional, let failure = await Self.endTransaction(producer, commit: sendError == nil) {
            sendError = sendError ?? failure
        }
        await producer.close()
        _ = await reports.value
        if let sendError { throw .kafka(sendError) }
        let failed = outcomes.failed.load(ordering: .relaxed)
        if failed > 0, let first = outcomes.firstError.withLock({ $0 }) {
            throw .runtime("\(failed) of \(sent) messages failed: \(SkcatFailure.describe(first))")
        }
        Console.info("Produced \(sent) messages (\(bytes) bytes) in \(ConsumeMode.seconds(began.duration(to: .now)))",
                     quiet: arguments.quiet)
    }

    /// Commits (or aborts) the run's transaction; a failed commit is aborted. Returns the failure.
    private static func endTransaction(_ producer: KafkaProducer, commit: Bool) async -> KafkaError? {
        do throws(KafkaError) {
            if commit { try await producer.commitTransaction() } else { try await producer.abortTransaction() }
            return nil
        } catch {
            if commit { try? await producer.abortTransaction() }
            return error
        }
    }

    /// Calls `body` with each record's bytes; stops when it returns false.
    private func forEachInput(_ body: ([UInt8]) async -> Bool) async throws(SkcatFailure) {
        let delimiter = Array(arguments.delimiter.utf8)
        if arguments.files.isEmpty {
            if arguments.delimiter == "\n" {
                while let line = readLine(strippingNewline: true) {
                    guard await body(Array(line.utf8)) else { return }
                }
                return
            }
            let all = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            for piece in Self.split(all, by: delimiter) { guard await body(piece) else { return } }
            return
        }
        for path in arguments.files {
            guard let data = FileManager.default.contents(atPath: path) else { throw .runtime("cannot read \(path)") }
            let bytes = [UInt8](data)
            if arguments.lineMode {
                for piece in Self.split(bytes, by: delimiter) { guard await body(piece) else { return } }
            } else {
                guard await body(bytes) else { return }
            }
        }
    }

    /// Pieces between delimiters; a trailing delimiter adds no empty piece.
    static func split(_ bytes: [UInt8], by delimiter: [UInt8]) -> [[UInt8]] {
        guard !delimiter.isEmpty else { return [bytes] }
        var pieces: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            guard let cut = find(delimiter, in: bytes[start...]) else {
                pieces.append(Array(bytes[start...]))
                break
            }
            pieces.append(Array(bytes[start..<cut]))
            start = cut + delimiter.count
        }
        return pieces
    }

    /// The index where `needle` first starts in `haystack`.
    static func find<Haystack: Collection<UInt8>>(_ needle: [UInt8], in haystack: Haystack) -> Int? where Haystack.Index == Int {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
