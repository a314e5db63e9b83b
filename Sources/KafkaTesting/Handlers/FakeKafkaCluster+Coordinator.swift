import Foundation
import KafkaWire

extension FakeKafkaCluster {
    /// FindCoordinator (v4+, batched keys): each key's coordinator among the running brokers.
    func findCoordinator(_ request: FindCoordinatorRequest, _ context: RequestContext) -> FindCoordinatorResponse {
        state.withLock { state in
            var response = FindCoordinatorResponse()
            response.throttleTimeMs = context.throttleMs
            response.coordinators = request.coordinatorKeys.map { key in
                var coordinator = FindCoordinatorResponse.Coordinator()
                coordinator.key = key
                coordinator.nodeId = -1
                coordinator.port = -1
                if let forced = context.forcedError {
                    coordinator.errorCode = forced.rawValue
                } else if let id = state.coordinator(for: key), let broker = state.broker(id) {
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
