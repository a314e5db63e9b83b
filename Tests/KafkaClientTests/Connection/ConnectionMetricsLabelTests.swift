@testable import KafkaClient
import KafkaWire
import Testing

/// The connection metrics' dimension values: bounded whatever the broker sends.
@Suite("Connection metrics labels")
struct ConnectionMetricsLabelTests {
    @Test("broker error codes keep Kafka's names; codes newer than this library share one label")
    func brokerErrorCodes() {
        #expect(ConnectionMetrics.errorLabel(KafkaErrorCode.notLeaderOrFollower) == "NOT_LEADER_OR_FOLLOWER")
        #expect(ConnectionMetrics.errorLabel(KafkaErrorCode(rawValue: 9_999)) == "UNKNOWN")
        #expect(ConnectionMetrics.errorLabel(KafkaErrorCode(rawValue: 12_345)) == "UNKNOWN")
    }

    @Test("the client's own codes are written in the broker's style, prefixed CLIENT_")
    func clientCodes() {
        #expect(ConnectionMetrics.errorLabel(KafkaError.Code.requestTimedOut) == "CLIENT_REQUEST_TIMED_OUT")
        #expect(ConnectionMetrics.errorLabel(KafkaError.Code.connectionClosed) == "CLIENT_CONNECTION_CLOSED")
        #expect(ConnectionMetrics.errorLabel(KafkaError.Code.ioError) == "CLIENT_IO_ERROR")
    }

    @Test("APIs by Kafka's name, unknown keys as one label, brokers by node id or bootstrap")
    func apisAndBrokers() {
        #expect(ConnectionMetrics.apiLabel(.produce) == "Produce")
        #expect(ConnectionMetrics.apiLabel(ApiKey(rawValue: 999)) == "unknown")
        #expect(ConnectionMetrics.brokerLabel(3) == "3")
        #expect(ConnectionMetrics.brokerLabel(nil) == "bootstrap")
    }
}
