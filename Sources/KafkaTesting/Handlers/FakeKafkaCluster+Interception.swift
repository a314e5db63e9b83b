import Foundation
import KafkaWire

extension FakeKafkaCluster {
    /// What a request header says, for the request hook and the faults.
    struct Header {
        let broker: Int32
        let apiKey: ApiKey
        let version: Int16
        let correlationId: Int32
        let clientId: String?
    }

    /// What becomes of a request once the hook and the injected faults have had their say.
    enum Interception {
        /// Handle it in this context; with `cutAfter`, close the connection instead of answering.
        case handle(RequestContext, cutAfter: Bool)
        /// The hook answered it.
        case answered
        /// The connection was closed.
        case closed
    }

    /// Runs the request hook, then (unless the hook failed the request) takes the
    /// injected faults, sleeping for delays and cutting the connection where asked.
    func intercept(_ frame: [UInt8], _ header: Header, _ connection: FrameConnection) -> Interception {
        var forcedError: KafkaErrorCode?
        var cutAfter = false
        if let hook = requestHook.withLock({ $0 }) {
            let incoming = FakeClusterIncomingRequest(broker: header.broker, apiKey: header.apiKey, version: header.version,
                                                      correlationId: header.correlationId, clientId: header.clientId, frame: frame)
            switch hook(incoming) {
            case .proceed: break
            case .delay(let duration): Thread.sleep(forTimeInterval: duration.inSeconds)
            case .fail(let code): forcedError = code
            case .disconnect:
                connection.cut()
                return .closed
            case .disconnectAfterHandling: cutAfter = true
            case .respond(let response):
                // A response of another API or one the version cannot carry: a broken connection, never a wrong answer.
                guard type(of: response).apiKey == header.apiKey,
                      let bytes = try? response.encodeFrame(version: header.version, correlationId: header.correlationId),
                      connection.writeFrame(bytes) else {
                    connection.cut()
                    return .closed
                }
                return .answered
            case .respondRaw(let bytes):
                guard connection.writeFrame(bytes) else {
                    connection.cut()
                    return .closed
                }
                return .answered
            }
        }
        var injected = ClusterState.InjectedFaults()
        if forcedError == nil {
            injected = state.withLock { $0.takeFaults(apiKey: header.apiKey, broker: header.broker, frame: frame) }
        }
        var throttleMs: Int32 = 0
        switch injected.action {
        case .disconnectBeforeHandling:
            connection.cut()
            return .closed
        case .delay(let duration): Thread.sleep(forTimeInterval: duration.inSeconds)
        case .error(let code): forcedError = code
        case .throttle(let milliseconds): throttleMs = milliseconds
        case .disconnectAfterHandling: cutAfter = true
        case nil: break
        }
        let context = RequestContext(broker: header.broker, version: header.version, forcedError: forcedError, throttleMs: throttleMs,
                                     clientId: header.clientId ?? "", targetedErrors: injected.targetedErrors)
        return .handle(context, cutAfter: cutAfter)
    }
}
