import KafkaWire

/// What a consumed message's timestamp means: ``KafkaConsumerMessage/timestampType``.
public enum KafkaTimestampType: Sendable, Hashable {
    /// Set by the producer when it created the record.
    case createTime
    /// Set by the broker when it appended the batch to the log (topics with
    /// `message.timestamp.type=LogAppendTime`).
    case logAppendTime
}

extension KafkaTimestampType {
    /// The type the wire layer decoded.
    package init(_ type: TimestampType) {
        switch type {
        case .createTime: self = .createTime
        case .logAppendTime: self = .logAppendTime
        }
    }

    /// The wire layer's type.
    package var timestampType: TimestampType {
        switch self {
        case .createTime: .createTime
        case .logAppendTime: .logAppendTime
        }
    }
}
