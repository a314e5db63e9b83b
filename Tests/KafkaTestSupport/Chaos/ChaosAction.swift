/// Which way bytes travel through a `ChaosProxy`.
public enum ChaosDirection: Sendable, Hashable, CustomStringConvertible {
    /// From the client to the broker (requests).
    case toBroker
    /// From the broker to the client (responses).
    case toClient

    public var description: String { self == .toBroker ? "client→broker" : "broker→client" }
}

/// One chunk of bytes the proxy has read and is about to forward: what a plan decides on.
public struct ChaosChunk: Sendable, Hashable {
    /// The connection's number, in accept order from 0.
    public var connection: Int
    public var direction: ChaosDirection
    /// The chunk's number on this connection in this direction, from 0.
    public var index: Int
    /// Bytes read (at least 1).
    public var size: Int

    public init(connection: Int, direction: ChaosDirection, index: Int, size: Int) {
        self.connection = connection
        self.direction = direction
        self.index = index
        self.size = size
    }
}

/// What the proxy does with a chunk.
public enum ChaosAction: Sendable, Hashable {
    /// Passes it on at once.
    case forward
    /// Waits, then passes it on: latency on this direction only.
    case delay(Duration)
    /// Stops the whole connection (both directions) for a while, then passes it on.
    case stall(Duration)
    /// Passes on only the first bytes, then cuts the connection: a response ends mid-frame.
    case truncate(keeping: Int)
    /// Cuts the connection without passing anything on.
    case cut
}
