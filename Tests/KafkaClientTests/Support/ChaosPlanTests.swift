import KafkaTestSupport
import Testing

@Suite("Chaos proxy plans and log")
struct ChaosPlanTests {
    static func chunk(_ connection: Int, _ direction: ChaosDirection, _ index: Int, size: Int = 100) -> ChaosChunk {
        ChaosChunk(connection: connection, direction: direction, index: index, size: size)
    }

    @Test("pass-through forwards everything")
    func passThrough() {
        var plan = ChaosPlan.passThrough
        for index in 0..<50 {
            #expect(plan.action(for: Self.chunk(index % 3, index.isMultiple(of: 2) ? .toBroker : .toClient, index)) == .forward)
        }
    }

    @Test("a schedule fires at its chunk, direction and connection only; the first matching rule wins")
    func scheduled() {
        var plan = ChaosPlan.scheduled([
            .init(connection: 1, direction: .toClient, chunk: 2, action: .cut),
            .init(direction: .toBroker, chunk: 0, action: .delay(.milliseconds(5))),
            .init(direction: .toBroker, chunk: 0, action: .cut),
            .init(direction: .toClient, chunk: 4, action: .truncate(keeping: 500)),
        ])
        #expect(plan.action(for: Self.chunk(0, .toClient, 2)) == .forward)
        #expect(plan.action(for: Self.chunk(1, .toClient, 2)) == .cut)
        #expect(plan.action(for: Self.chunk(1, .toBroker, 2)) == .forward)
        #expect(plan.action(for: Self.chunk(7, .toBroker, 0)) == .delay(.milliseconds(5)))
        #expect(plan.action(for: Self.chunk(7, .toClient, 0)) == .forward)
        // A truncation always keeps fewer bytes than the chunk has.
        #expect(plan.action(for: Self.chunk(3, .toClient, 4, size: 40)) == .truncate(keeping: 39))
        #expect(plan.action(for: Self.chunk(3, .toClient, 4, size: 4000)) == .truncate(keeping: 500))
    }

    @Test("random plans replay from their seed, differ across seeds, and follow the odds")
    func random() {
        let odds = ChaosPlan.Odds(cut: 0.01, truncate: 0.02, stall: 0.03, delay: 0.2,
                                  delays: .milliseconds(1)...(.milliseconds(3)), stalls: .milliseconds(50)...(.milliseconds(60)))
        func run(seed: UInt64) -> [ChaosAction] {
            var plan = ChaosPlan.random(seed: seed, odds: odds)
            return (0..<20_000).map { plan.action(for: Self.chunk($0 % 5, $0.isMultiple(of: 2) ? .toBroker : .toClient, $0 / 2, size: 1 + $0 % 300)) }
        }
        let actions = run(seed: 42)
        #expect(actions == run(seed: 42))
        #expect(actions != run(seed: 43))
        var log = ChaosLog()
        for (index, action) in actions.enumerated() {
            log.record(Self.chunk(index % 5, index.isMultiple(of: 2) ? .toBroker : .toClient, index / 2, size: 1 + index % 300), action)
        }
        // Expected counts: 200 cuts, 200 truncations (half the chunks go to the client), 600 stalls, 4000 delays.
        #expect((140...260).contains(log.cuts), "\(log)")
        #expect((140...260).contains(log.truncations), "\(log)")
        #expect((480...720).contains(log.stalls), "\(log)")
        #expect((3700...4300).contains(log.delays), "\(log)")
        for (index, action) in actions.enumerated() {
            let size = 1 + index % 300
            switch action {
            case .forward, .cut: continue
            case .delay(let duration): #expect(duration >= .milliseconds(1) && duration <= .milliseconds(3))
            case .stall(let duration): #expect(duration >= .milliseconds(50) && duration <= .milliseconds(60))
            case .truncate(let keeping):
                #expect(!index.isMultiple(of: 2), "only responses are truncated")
                #expect(keeping >= 1 && keeping < size)
            }
        }
    }

    @Test("the log counts chunks, bytes and faults, keeps the latest faults, and sums disconnects")
    func log() {
        var log = ChaosLog()
        log.record(Self.chunk(0, .toBroker, 0, size: 10), .forward)
        log.record(Self.chunk(0, .toClient, 0, size: 30), .truncate(keeping: 7))
        log.record(Self.chunk(1, .toBroker, 0, size: 5), .cut)
        log.record(Self.chunk(1, .toClient, 0, size: 5), .stall(.milliseconds(1)))
        log.connectionsCutByCutAll = 4
        #expect(log.chunksToBroker == 2 && log.bytesToBroker == 15)
        #expect(log.chunksToClient == 2 && log.bytesToClient == 35)
        #expect(log.truncations == 1 && log.cuts == 1 && log.stalls == 1 && log.delays == 0)
        #expect(log.disconnects == 6)
        #expect(log.recent.map(\.action) == [.truncate(keeping: 7), .cut, .stall(.milliseconds(1))])
        for index in 0..<(ChaosLog.recentLimit + 10) { log.record(Self.chunk(2, .toBroker, index), .delay(.microseconds(1))) }
        #expect(log.recent.count == ChaosLog.recentLimit)
        #expect(log.recent.last?.chunk.index == ChaosLog.recentLimit + 9)
    }
}
