/// What a `ChaosProxy` has done: counts of connections and of each fault, and the
/// latest faults in order, to print with a test's results.
public struct ChaosLog: Sendable, Hashable, CustomStringConvertible {
    /// One injected fault.
    public struct Entry: Sendable, Hashable {
        public var chunk: ChaosChunk
        public var action: ChaosAction
    }

    /// Connections accepted.
    public var connections = 0
    /// `cutAll` calls (forced disconnects), and the connections they cut.
    public var cutAlls = 0
    public var connectionsCutByCutAll = 0
    /// Faults the plan injected.
    public var cuts = 0
    public var truncations = 0
    public var stalls = 0
    public var delays = 0
    /// Chunks and bytes read, by direction.
    public var chunksToBroker = 0
    public var chunksToClient = 0
    public var bytesToBroker = 0
    public var bytesToClient = 0
    /// The latest faults, oldest first (at most `recentLimit`).
    public private(set) var recent: [Entry] = []
    public static let recentLimit = 64

    public init() {}

    /// Counts a chunk read and the action taken on it.
    public mutating func record(_ chunk: ChaosChunk, _ action: ChaosAction) {
        switch chunk.direction {
        case .toBroker:
            chunksToBroker += 1
            bytesToBroker += chunk.size
        case .toClient:
            chunksToClient += 1
            bytesToClient += chunk.size
        }
        switch action {
        case .forward: return
        case .delay: delays += 1
        case .stall: stalls += 1
        case .truncate: truncations += 1
        case .cut: cuts += 1
        }
        if recent.count == Self.recentLimit { recent.removeFirst() }
        recent.append(Entry(chunk: chunk, action: action))
    }

    /// Connections that ended through a fault: cut by `cutAll`, by the plan, or truncated.
    public var disconnects: Int { connectionsCutByCutAll + cuts + truncations }

    public var description: String {
        "\(connections) connections; \(cutAlls) cutAll (\(connectionsCutByCutAll) connections), \(cuts) cuts, "
            + "\(truncations) truncations, \(stalls) stalls, \(delays) delays; "
            + "\(chunksToBroker) chunks/\(bytesToBroker) B to the broker, \(chunksToClient) chunks/\(bytesToClient) B to the client"
    }
}
