/// The consumer group protocol's embedded messages travel inside JoinGroup and
/// SyncGroup as opaque bytes: an INT16 version, then the body at that version.
/// A member may use a newer version than this library knows; newer versions only
/// append fields, so such bodies are read at the newest known version and the
/// unknown tail is ignored, as Kafka's own consumers do.
public protocol KafkaVersionedData: KafkaMessage {}

extension ConsumerProtocolSubscription: KafkaVersionedData {}
extension ConsumerProtocolAssignment: KafkaVersionedData {}

extension KafkaVersionedData {
    /// The INT16 version followed by the body at `version`.
    public func encodeVersioned(version: Int16) throws(KafkaWireError) -> [UInt8] {
        var writer = WireWriter(reservingCapacity: 64)
        writer.write(version)
        try encode(into: &writer, version: version)
        return writer.bytes
    }

    /// Reads the version prefix and the body; returns the value and the version the sender used.
    public static func decodeVersioned(_ bytes: [UInt8]) throws(KafkaWireError) -> (value: Self, version: Int16) {
        var reader = WireReader(bytes)
        let version: Int16
        do {
            version = try reader.read(Int16.self, field: "version")
        } catch {
            throw error.inMessage(messageName, apiKey: nil, version: -1)
        }
        guard version >= validVersions.lowerBound else {
            throw KafkaWireError(.unsupportedVersion, field: "version", detail: "version \(version) is below \(validVersions.lowerBound)")
                .inMessage(messageName, apiKey: nil, version: version)
        }
        let readVersion = min(version, validVersions.upperBound)
        let value = try Self(from: &reader, version: readVersion)
        if version == readVersion && !reader.isAtEnd {
            throw KafkaWireError(.trailingBytes, detail: "\(reader.readableBytes) bytes left after the body")
                .inMessage(messageName, apiKey: nil, version: version)
        }
        return (value, version)
    }
}
