/// What a record timestamp means: bit 3 of batch (or v1 message) attributes.
public enum TimestampType: Int8, Sendable, Hashable {
    /// Set by the producer when it created the record.
    case createTime = 0
    /// Set by the broker when it appended the batch to the log.
    case logAppendTime = 1
}
