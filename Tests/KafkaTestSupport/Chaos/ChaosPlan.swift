/// Decides, chunk by chunk, which faults a `ChaosProxy` injects: a fixed schedule
/// or seeded random odds. A plain value, so the decisions are tested without sockets
/// and a random run replays exactly from its seed.
public struct ChaosPlan: Sendable {
    /// A fault at a given chunk: the `chunk`-th chunk in `direction` on `connection`
    /// (any connection when nil).
    public struct Rule: Sendable, Hashable {
        public var connection: Int?
        public var direction: ChaosDirection
        public var chunk: Int
        public var action: ChaosAction

        public init(connection: Int? = nil, direction: ChaosDirection, chunk: Int, action: ChaosAction) {
            self.connection = connection
            self.direction = direction
            self.chunk = chunk
            self.action = action
        }
    }

    /// Per-chunk chances of each fault (checked in the order cut, truncate, stall,
    /// delay; their sum at most 1) and how long delays and stalls last.
    public struct Odds: Sendable, Hashable {
        public var cut: Double
        /// Only broker→client chunks of two bytes or more are truncated.
        public var truncate: Double
        public var stall: Double
        public var delay: Double
        public var delays: ClosedRange<Duration>
        public var stalls: ClosedRange<Duration>

        public init(cut: Double = 0, truncate: Double = 0, stall: Double = 0, delay: Double = 0,
                    delays: ClosedRange<Duration> = .milliseconds(1)...(.milliseconds(20)),
                    stalls: ClosedRange<Duration> = .milliseconds(100)...(.milliseconds(1000))) {
            self.cut = cut
            self.truncate = truncate
            self.stall = stall
            self.delay = delay
            self.delays = delays
            self.stalls = stalls
        }
    }

    private enum Mode: Sendable {
        case scheduled([Rule])
        case random(SeededRandom, Odds)
    }

    private var mode: Mode

    /// Forwards everything untouched.
    public static var passThrough: ChaosPlan { ChaosPlan(mode: .scheduled([])) }

    /// Injects exactly the faults of `rules` (the first matching rule wins).
    public static func scheduled(_ rules: [Rule]) -> ChaosPlan { ChaosPlan(mode: .scheduled(rules)) }

    /// Injects faults at random with `odds`, reproducibly from `seed`.
    public static func random(seed: UInt64, odds: Odds) -> ChaosPlan {
        ChaosPlan(mode: .random(SeededRandom(seed: seed), odds))
    }

    /// The action for `chunk`.
    public mutating func action(for chunk: ChaosChunk) -> ChaosAction {
        switch mode {
        case .scheduled(let rules):
            let rule = rules.first {
                $0.chunk == chunk.index && $0.direction == chunk.direction && ($0.connection ?? chunk.connection) == chunk.connection
            }
            return rule.map { Self.fitted($0.action, to: chunk) } ?? .forward
        case .random(var random, let odds):
            defer { mode = .random(random, odds) }
            return Self.draw(for: chunk, odds: odds, using: &random)
        }
    }

    private static func draw(for chunk: ChaosChunk, odds: Odds, using random: inout SeededRandom) -> ChaosAction {
        let roll = Double(random.next() >> 11) / Double(1 << 53)
        var threshold = odds.cut
        if roll < threshold { return .cut }
        threshold += odds.truncate
        if roll < threshold {
            guard chunk.direction == .toClient, chunk.size > 1 else { return .forward }
            return .truncate(keeping: 1 + Int(random.next() % UInt64(chunk.size - 1)))
        }
        threshold += odds.stall
        if roll < threshold { return .stall(duration(in: odds.stalls, using: &random)) }
        threshold += odds.delay
        if roll < threshold { return .delay(duration(in: odds.delays, using: &random)) }
        return .forward
    }

    /// A duration in `range`, to the microsecond.
    private static func duration(in range: ClosedRange<Duration>, using random: inout SeededRandom) -> Duration {
        let low = microseconds(range.lowerBound), high = microseconds(range.upperBound)
        return .microseconds(low + Int64(random.next() % UInt64(high - low + 1)))
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }

    /// A scheduled truncation keeps fewer bytes than the chunk has, or it would cut nothing short.
    private static func fitted(_ action: ChaosAction, to chunk: ChaosChunk) -> ChaosAction {
        guard case .truncate(let keeping) = action else { return action }
        return .truncate(keeping: max(0, min(keeping, chunk.size - 1)))
    }
}
