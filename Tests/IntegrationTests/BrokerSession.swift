import KafkaClient
import KafkaTestSupport
import KafkaWire

/// One connection to the test broker that sends request frames with a v1
/// (non-flexible) or v2 (flexible) request header and checks each response's
/// correlation id before handing back the rest of the frame.
final class BrokerSession {
    let transport: KafkaFrameTransport
    private var nextCorrelationId: Int32 = 1
    let clientId = "swift-kafka-native-tests"

    /// A session to the bootstrap broker.
    convenience init() throws {
        let bootstrap = try TestBroker.bootstrap()
        try self.init(host: bootstrap.host, port: bootstrap.port)
    }

    /// A session to the broker at `host:port`.
    init(host: String, port: Int) throws {
        var options = TCPSocketOptions()
        options.connectTimeout = .seconds(5)
        options.readTimeout = .seconds(20)
        transport = try KafkaFrameTransport.connect(host: host, port: port, options: options)
    }

    deinit { transport.close() }

    /// The next correlation id for a request on this connection.
    func takeCorrelationId() -> Int32 {
        defer { nextCorrelationId += 1 }
        return nextCorrelationId
    }

    /// Sends `body` as API `apiKey` version `version` and returns a reader positioned at
    /// the response body (after the response header, v1 when `flexibleResponseHeader`).
    func roundTrip(apiKey: Int16, version: Int16, flexibleRequestHeader: Bool, flexibleResponseHeader: Bool,
                   body: [UInt8]) throws -> WireReader {
        let correlationId = takeCorrelationId()
        var writer = WireWriter()
        writer.write(apiKey)
        writer.write(version)
        writer.write(correlationId)
        writer.write(Int16(clientId.utf8.count))  // the header's client id is a classic nullable string even in v2
        writer.writeStringBytes(clientId)
        if flexibleRequestHeader { writer.writeUnsignedVarint(0) }  // no tagged fields
        writer.writeBytes(body)
        try transport.sendFrame(writer.bytes)

        var reader = WireReader(try transport.receiveFrame())
        let echoed = try reader.read(Int32.self, field: "correlation_id")
        guard echoed == correlationId else {
            throw KafkaWireError(.invalidValue, field: "correlation_id", detail: "expected \(correlationId), got \(echoed)")
        }
        if flexibleResponseHeader {
            let tagCount = try reader.readUnsignedVarint(field: "header.tagged_fields")
            guard tagCount == 0 else {
                throw KafkaWireError(.unsupportedField, field: "header.tagged_fields", detail: "\(tagCount) tags")
            }
        }
        return reader
    }
}
