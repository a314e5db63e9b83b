import Foundation
import KafkaClient
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A TCP proxy on loopback between clients and one upstream port (a broker) that
/// injects faults: it cuts every connection on demand (`cutAll`) and, chunk by chunk
/// as its `ChaosPlan` decides, delays bytes, stalls connections, truncates responses
/// and cuts single connections. Start a broker advertising the proxy's port
/// (`TestBroker.startDedicated(advertisedPort:)`) so all traffic passes here.
public final class ChaosProxy: Sendable {
    /// The port the proxy listens on.
    public let port: Int
    private let upstreamPort: Int
    private let listener: LocalTCPListener
    private let open = VisibleLock<[Int: ChaosConnection]>([:])
    private let plan: VisibleLock<ChaosPlan>
    private let history = VisibleLock(ChaosLog())
    private let stopped = Atomic<Bool>(false)
    private let accepted = Atomic<Int>(0)

    /// Listens on a free loopback port, forwarding to `127.0.0.1:upstreamPort`.
    public convenience init(upstreamPort: Int, plan: ChaosPlan = .passThrough) throws {
        self.init(listener: try LocalTCPListener(backlog: 128), upstreamPort: upstreamPort, plan: plan)
    }

    /// Serves on a port reserved earlier by listening on it (so a broker can advertise
    /// it before it starts), forwarding to `127.0.0.1:upstreamPort`.
    public init(listener: LocalTCPListener, upstreamPort: Int, plan: ChaosPlan = .passThrough) {
        self.listener = listener
        port = listener.port
        self.upstreamPort = upstreamPort
        self.plan = VisibleLock(plan)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// Connections accepted so far.
    public var acceptedCount: Int { accepted.load(ordering: .relaxed) }

    /// What the proxy has done so far.
    public var log: ChaosLog { history.withLock { $0 } }

    /// Decides from now on with `plan` (e.g. `.passThrough` to end the chaos).
    public func replacePlan(with plan: ChaosPlan) {
        self.plan.withLock { $0 = plan }
    }

    /// Cuts every open connection (both directions, at once); new ones are still
    /// accepted. Returns how many were cut.
    @discardableResult
    public func cutAll() -> Int {
        let count = open.withLock { open in
            defer { open = [:] }
            for connection in open.values { connection.cut() }
            return open.count
        }
        history.withLock {
            $0.cutAlls += 1
            $0.connectionsCutByCutAll += count
        }
        return count
    }

    /// Stops accepting and cuts everything.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        open.withLock { open in
            for connection in open.values { connection.cut() }
        }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            guard let client = try? listener.accept(timeout: 0.2) else { continue }
            let id = accepted.add(1, ordering: .relaxed).oldValue
            let clientSocket = client.detachDescriptor()
            guard let upstream = LoopbackConnect.connect(port: upstreamPort) else {
                _ = close(clientSocket)
                continue
            }
            let connection = ChaosConnection(id: id, client: clientSocket, upstream: upstream)
            open.withLock { $0[id] = connection }
            history.withLock { $0.connections += 1 }
            Thread.detachNewThread { [self] in pump(connection, .toBroker) }
            Thread.detachNewThread { [self] in pump(connection, .toClient) }
        }
    }

    /// Copies one direction chunk by chunk as the plan says, until either side closes
    /// or a fault ends the connection; then cuts both directions.
    private func pump(_ connection: ChaosConnection, _ direction: ChaosDirection) {
        let (source, target) = direction == .toBroker ? (connection.client, connection.upstream) : (connection.upstream, connection.client)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var index = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            let chunk = ChaosChunk(connection: connection.id, direction: direction, index: index, size: count)
            index += 1
            let action = plan.withLock { $0.action(for: chunk) }
            history.withLock { $0.record(chunk, action) }
            var length = count
            switch action {
            case .forward: break
            case .delay(let duration): ChaosConnection.sleep(for: duration)
            case .stall(let duration): connection.stall(for: duration)
            case .truncate(let keeping): length = keeping
            case .cut: length = -1
            }
            connection.waitWhileStalled()
            guard length >= 0, Self.sendAll(buffer, count: length, to: target), length == count else { break }
        }
        connection.cut()
        if connection.finishPump() {
            open.withLock { _ = $0.removeValue(forKey: connection.id) }
            connection.close()
        }
    }

    private static func sendAll(_ buffer: [UInt8], count: Int, to target: Int32) -> Bool {
        var offset = 0
        while offset < count {
            let sent = buffer.withUnsafeBytes { send(target, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }
}
