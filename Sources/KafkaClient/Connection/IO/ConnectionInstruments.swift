import KafkaWire
import Metrics

/// The metric instruments one connection's thread updates on every request and
/// read, made from `ConnectionMetrics` once and kept: the hot path indexes an
/// array by API key instead of formatting labels and asking the metrics factory.
/// Remade when the connection's broker is renamed (a bootstrap connection found
/// to be broker N), which `refresh` notices with one atomic load per wake-up.
struct ConnectionInstruments {
    let metrics: ConnectionMetrics
    private var generation: Int
    private(set) var bytesSent: Counter
    private(set) var bytesReceived: Counter
    private(set) var connections: Meter
    /// Request latency timers by API key, made on first use.
    private var latency: [Timer?] = []
    /// Whether this connection counts in the open-connections meter.
    private var isCountedOpen = false

    init(_ metrics: ConnectionMetrics) {
        self.metrics = metrics
        generation = metrics.generation
        bytesSent = metrics.makeBytesSent()
        bytesReceived = metrics.makeBytesReceived()
        connections = metrics.makeConnections()
    }

    /// Takes up the broker's new name, if it was renamed since the last call.
    mutating func refresh() {
        let current = metrics.generation
        guard current != generation else { return }
        generation = current
        bytesSent = metrics.makeBytesSent()
        bytesReceived = metrics.makeBytesReceived()
        let renamed = metrics.makeConnections()
        if isCountedOpen {
            connections.decrement()
            renamed.increment()
        }
        connections = renamed
        latency.removeAll(keepingCapacity: true)
    }

    mutating func opened() {
        guard !isCountedOpen else { return }
        isCountedOpen = true
        connections.increment()
    }

    /// Takes the connection out of the open-connections meter, once.
    mutating func closed() {
        guard isCountedOpen else { return }
        isCountedOpen = false
        connections.decrement()
    }

    mutating func recordLatency(_ api: ApiKey, _ elapsed: Duration) {
        let slot = Int(api.rawValue)
        guard slot >= 0, slot < 256 else { return }
        if slot >= latency.count { latency.append(contentsOf: repeatElement(nil, count: slot + 1 - latency.count)) }
        let timer: Timer
        if let made = latency[slot] {
            timer = made
        } else {
            timer = metrics.makeLatencyTimer(api)
            latency[slot] = timer
        }
        timer.recordNanoseconds(elapsed.wholeNanoseconds)
    }
}
