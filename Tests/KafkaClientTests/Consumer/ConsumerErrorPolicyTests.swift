import KafkaWire
import Testing
@testable import KafkaClient

/// Errors reach the application (issue: `messages` never threw; errors piled up
/// unbounded in a list nobody had to read).
@Suite("Consumer: which errors end the messages sequence")
struct ConsumerErrorPolicyTests {
    static let orders = TopicPartition(topic: "orders", partition: 0)

    static func state() -> (ConsumerState, AsyncStream<KafkaConsumerEvent>) {
        let (stream, continuation) = AsyncStream<KafkaConsumerEvent>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        let shared = ConsumerState(maxPrefetchBytes: 1 << 20, events: continuation)
        shared.state.withLock { state in
            var partition = ConsumerPartitionState()
            partition.generation = 1
            partition.position = 0
            state.partitions[orders] = partition
        }
        return (shared, stream)
    }

    @Test("fatal errors end the sequence, also for a waiting next(), and every later call throws the first")
    func fatalEndsSequence() async throws {
        let (shared, _) = Self.state()
        let waiting = Task {
            var iterator = KafkaConsumerMessages(shared: shared).makeAsyncIterator()
            do { _ = try await iterator.next(); return nil as KafkaError? } catch { return error as? KafkaError }
        }
        try await Task.sleep(for: .milliseconds(20))
        shared.report(KafkaError(.authenticationFailed, detail: "bad password"))
        #expect(await waiting.value?.code == .authenticationFailed)
        shared.report(KafkaError.broker(.topicAuthorizationFailed, apiKey: .fetch))
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 0, count: 1))
        var iterator = KafkaConsumerMessages(shared: shared).makeAsyncIterator()
        for _ in 0..<2 {
            do {
                _ = try await iterator.next()
                Issue.record("the sequence went on after a fatal error")
            } catch {
                #expect((error as? KafkaError)?.code == .authenticationFailed, "the first fatal error stays: \(error)")
            }
        }
    }

    static let kinds: [(KafkaError, Bool)] = [
        (KafkaError(.authenticationFailed, detail: ""), true),
        (KafkaError(.invalidConfiguration, detail: ""), true),
        (KafkaError.broker(.topicAuthorizationFailed, apiKey: .fetch), true),
        (KafkaError.broker(.groupAuthorizationFailed, apiKey: .joinGroup), true),
        (KafkaError.broker(.fencedInstanceId, apiKey: .heartbeat), true),
        (KafkaError.broker(.notLeaderOrFollower, apiKey: .fetch), false),
        (KafkaError.broker(.coordinatorNotAvailable, apiKey: .offsetCommit), false),
        (KafkaError.broker(.unknownTopicOrPartition, apiKey: .metadata), false),
        (KafkaError(.ioError, detail: "reset"), false),
    ]

    @Test("each of the Java consumer's fatal kinds ends it; retriable ones do not", arguments: kinds)
    func classes(error: KafkaError, ends: Bool) {
        #expect(ConsumerErrorPolicy.endsConsumption(error) == ends)
    }

    @Test("a partition's error ends one loop: a new loop reads on")
    func partitionErrorOnce() async throws {
        let (shared, _) = Self.state()
        shared.failPartition(Self.orders, KafkaError.broker(.offsetOutOfRange, apiKey: .fetch))
        shared.deliver(try FinishedPositionTests.chunk(Self.orders, generation: 1, from: 0, count: 1))
        let messages = KafkaConsumerMessages(shared: shared)
        do {
            for try await _ in messages { Issue.record("the partition error was not thrown first") }
        } catch {
            #expect((error as? KafkaError)?.brokerErrorCode == .offsetOutOfRange)
        }
        var iterator = messages.makeAsyncIterator()
        #expect(try await iterator.next()?.offset == 0)
    }

    @Test("reported errors are events, and takeErrors keeps only the newest 100")
    func bounded() async throws {
        let (shared, events) = Self.state()
        for index in 0..<250 { shared.report(KafkaError(.ioError, detail: "failure \(index)")) }
        let kept = shared.state.withLock { $0.errors }
        #expect(kept.count == ConsumerErrorPolicy.recentErrorLimit)
        #expect(kept.last?.detail == "failure 249")
        var seen = 0
        for await event in events {
            if case .error = event { seen += 1 }
            if seen == 250 { break }
        }
        #expect(seen == 250)
    }
}
