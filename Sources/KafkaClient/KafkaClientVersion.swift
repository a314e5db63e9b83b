/// This library's version, as brokers see it in ApiVersions (KIP-511).
public enum KafkaClientVersion {
    /// The release this source tree belongs to.
    public static let current = "0.1.0"
}
