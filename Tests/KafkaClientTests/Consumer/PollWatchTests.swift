import Testing
@testable import KafkaClient

@Suite("max.poll.interval: the poll watch")
struct PollWatchTests {
    typealias Signature = ConsumerState.PollSignature

    @Test("an application taking messages, or waiting for them, is never stalled; one that does neither is, after the limit")
    func stalls() {
        let start = ContinuousClock.now
        let limit = Duration.seconds(5)
        var watch = PollWatch(now: start)
        var verdicts: [Bool] = []
        verdicts.append(watch.isStalled(Signature(chunks: 3, nextOffset: 10, isWaiting: false), now: start, limit: limit))
        // Moving through a chunk counts as progress.
        verdicts.append(watch.isStalled(Signature(chunks: 3, nextOffset: 11, isWaiting: false), now: start + .seconds(4), limit: limit))
        verdicts.append(watch.isStalled(Signature(chunks: 3, nextOffset: 11, isWaiting: false), now: start + .seconds(8), limit: limit))
        verdicts.append(watch.isStalled(Signature(chunks: 3, nextOffset: 11, isWaiting: false), now: start + .seconds(10), limit: limit))
        #expect(verdicts == [false, false, false, true])

        // Waiting in the iterator is polling, however long it lasts.
        var waiting = PollWatch(now: start)
        let idle = Signature(chunks: 3, nextOffset: 11, isWaiting: true)
        let early = waiting.isStalled(idle, now: start + .seconds(60), limit: limit)
        let late = waiting.isStalled(idle, now: start + .seconds(600), limit: limit)
        #expect(!early && !late)
    }
}
