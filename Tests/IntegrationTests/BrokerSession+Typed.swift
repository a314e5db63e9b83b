import KafkaWire

extension BrokerSession {
    /// Sends `request` at `version` with the generated framing helpers and decodes the
    /// matching response, checking its correlation id and that every byte was consumed.
    func send<Request: KafkaRequest>(_ request: Request, version: Int16) throws -> Request.Response {
        let correlationId = takeCorrelationId()
        try transport.sendFrame(try request.encodeFrame(version: version, correlationId: correlationId, clientId: clientId))
        let (header, body) = try Request.Response.decodeFrame(try transport.receiveFrame(), version: version)
        guard header.correlationId == correlationId else {
            throw KafkaWireError(.invalidValue, field: "header.correlationId",
                                 detail: "expected \(correlationId), got \(header.correlationId)")
        }
        return body
    }
}
