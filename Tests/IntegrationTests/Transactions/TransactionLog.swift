import KafkaClient
import KafkaWire

/// A partition's log as stored, batch by batch, and what a read_committed
/// reader must see in it, worked out from the transaction markers alone. Tansu
/// sends no aborted-transaction list in Fetch (TANSU.md), so tests decide
/// visibility from the log itself: a producer's transactional records count
/// once a COMMIT marker of that producer follows them, and never after ABORT.
struct TransactionLog {
    struct Entry {
        var offset: Int64
        var producerId: Int64
        var producerEpoch: Int16
        var isTransactional: Bool
        var value: [UInt8]?
    }

    enum Item {
        case record(Entry)
        case marker(producerId: Int64, type: ControlRecordType)
    }

    var items: [Item] = []

    static func read(topic: String, partition: Int32, cluster: KafkaCluster) async throws -> TransactionLog {
        var log = TransactionLog()
        // librdkafka's mock cluster (CI's extra run) writes markers with CRC 0.
        let batches = try await PartitionReader.readBatches(topic: topic, partition: partition, cluster: cluster,
                                                            options: RecordDecodingOptions(verifyChecksums: false))
        for batch in batches {
            if batch.attributes.isControl {
                for control in try batch.controlRecords() {
                    log.items.append(.marker(producerId: batch.producerId, type: control.type))
                }
            } else {
                for record in batch.records {
                    log.items.append(.record(Entry(offset: record.offset, producerId: batch.producerId, producerEpoch: batch.producerEpoch,
                                                   isTransactional: batch.attributes.isTransactional,
                                                   value: record.value.map(Array.init))))
                }
            }
        }
        return log
    }

    /// The records a read_committed consumer may return, in log order.
    var committed: [Entry] {
        var pending: [Int64: [Entry]] = [:]
        var visible: [Entry] = []
        for item in items {
            switch item {
            case .record(let entry) where !entry.isTransactional:
                visible.append(entry)
            case .record(let entry):
                pending[entry.producerId, default: []].append(entry)
            case .marker(let producerId, let type):
                let ended = pending.removeValue(forKey: producerId) ?? []
                if type == .commit { visible.append(contentsOf: ended) }
            }
        }
        return visible.sorted { $0.offset < $1.offset }
    }

    /// Records of transactions still open (no marker yet).
    var undecided: [Entry] {
        var pending: [Int64: [Entry]] = [:]
        for item in items {
            switch item {
            case .record(let entry) where entry.isTransactional: pending[entry.producerId, default: []].append(entry)
            case .marker(let producerId, _): pending[producerId] = nil
            default: break
            }
        }
        return pending.values.flatMap { $0 }
    }

    var markers: [ControlRecordType] {
        items.compactMap { if case .marker(_, let type) = $0 { type } else { nil } }
    }

    var allValues: [String] {
        items.compactMap { if case .record(let entry) = $0 { entry.value.map { String(decoding: $0, as: UTF8.self) } } else { nil } }
    }
}

extension TransactionLog.Entry {
    var text: String { value.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}
