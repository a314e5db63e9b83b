import Foundation
import KafkaWire

extension FakeKafkaCluster {
    /// FindCoordinator (v4+, batched keys): each key's coordinator among the running
    /// brokers; key type 0 names groups, 1 transactional ids, others are INVALID_REQUEST.
    func findCoordinator(_ request: FindCoordinatorRequest, _ context: RequestContext) -> FindCoordinatorResponse {
        state.withLock { state in
            var response = FindCoordinatorResponse()
            response.throttleTimeMs = context.throttleMs
            response.coordinators = request.coordinatorKeys.map { key in
                var coordinator = FindCoordinatorResponse.Coordinator()
                coordinator.key = key
                coordinator.nodeId = -1
                coordinator.port = -1
                let coordinatorKey: CoordinatorKey? = switch request.keyType {
                case 0: .group(key)
                case 1: .transaction(key)
                default: nil
                }
                if let forced = context.forcedError {
                    coordinator.errorCode = forced.rawValue
                } else if coordinatorKey == nil || (request.keyType == 1 && key.isEmpty) {
                    coordinator.errorCode = KafkaErrorCode.invalidRequest.rawValue
                } else if let coordinatorKey, let id = state.coordinator(for: coordinatorKey), let broker = state.broker(id) {
                    coordinator.nodeId = id
                    coordinator.host = "127.0.0.1"
                    coordinator.port = Int32(broker.port)
                } else {
                    coordinator.errorCode = KafkaErrorCode.coordinatorNotAvailable.rawValue
                }
                return coordinator
            }
            return response
        }
    }

    /// The error for a group request sent to `broker`: an injected one, or NOT_COORDINATOR.
    func coordinatorError(group: String, _ context: RequestContext, _ state: ClusterState) -> KafkaErrorCode? {
        if let forced = context.forcedError { return forced }
        return state.coordinator(for: group) == context.broker ? nil : .notCoordinator
    }
}
