/// Who waits for one record's delivery report: a `sendAndWait` caller, or the
/// handler given to `send(_:onDelivery:)`.
enum DeliveryWaiter: Sendable {
    case continuation(OnceContinuation<KafkaDeliveryReport>)
    case handler(@Sendable (KafkaDeliveryReport) -> Void)

    func resume(returning report: KafkaDeliveryReport) {
        switch self {
        case .continuation(let continuation): continuation.resume(returning: report)
        case .handler(let handler): handler(report)
        }
    }

    var isHandler: Bool {
        if case .handler = self { return true }
        return false
    }
}
