import Foundation
import KafkaTestSupport
import Testing

/// `skcat` run as a process against the test broker: the kcat habits it keeps
/// (produce, consume, JSON envelope, format strings, group mode, metadata,
/// offsets for times) and its exit codes (0 ok, 1 Kafka error, 2 usage error).
@Suite("skcat against the real broker", .enabled(if: SkcatRunner.executable != nil,
                                                  "skcat binary not built: run swift build --build-tests first"))
struct SkcatTests {
    private func produce(_ topic: String, _ input: String, _ extra: [String] = []) async throws {
        let result = try await SkcatRunner.run(["-P", "-b", SkcatRunner.brokers(), "-t", topic, "-q"] + extra, input: input)
        #expect(result.status == 0, "produce failed: \(result.stderr)")
    }

    private func consume(_ topic: String, _ extra: [String]) async throws -> SkcatRunner.Result {
        let result = try await SkcatRunner.run(["-C", "-b", SkcatRunner.brokers(), "-t", topic, "-e", "-q"] + extra)
        #expect(result.status == 0, "consume failed: \(result.stderr)")
        return result
    }

    @Test("-P then -C -e -o beginning: every line comes back, keys split at -K")
    func roundTrip() async throws {
        let topic = TestBroker.uniqueTopicName("skcat-rt")
        try await SkcatRunner.createTopic(topic, partitions: 1)
        // Tansu answers ListOffsets(latest) with the last batch's base offset + 1, so the
        // last record goes in a batch of its own for `-o end` and `-o -1` to be exact here.
        try await produce(topic, "k1:one\nk2:two\n", ["-K", ":"])
        try await produce(topic, "k3:three\n", ["-K", ":"])
        let plain = try await consume(topic, ["-o", "beginning"])
        #expect(plain.lines == ["one", "two", "three"])
        let keyed = try await consume(topic, ["-o", "beginning", "-K", "="])
        #expect(keyed.lines == ["k1=one", "k2=two", "k3=three"])
        let counted = try await consume(topic, ["-o", "beginning", "-c", "2"])
        #expect(counted.lines == ["one", "two"])
        let last = try await consume(topic, ["-o", "-1"])
        #expect(last.lines == ["three"])
        let fromOffset = try await consume(topic, ["-o", "1"])
        #expect(fromOffset.lines == ["two", "three"])
        let atEnd = try await consume(topic, ["-o", "end"])
        #expect(atEnd.lines.isEmpty)
    }

    @Test("-J prints kcat's envelope: field names and JSON types as kcat's")
    func jsonEnvelope() async throws {
        let topic = TestBroker.uniqueTopicName("skcat-json")
        try await SkcatRunner.createTopic(topic, partitions: 1)
        try await produce(topic, "key1\tvalue \"quoted\"\n", ["-K", "\\t", "-H", "trace=abc", "-H", "empty="])
        try await produce(topic, "no key here\n")
        let result = try await consume(topic, ["-J"])
        let lines = result.lines
        try #require(lines.count == 2)
        let envelopes = try lines.map { try JSONDecoder().decode(KcatEnvelope.self, from: Data($0.utf8)) }
        #expect(envelopes[0].topic == topic)
        #expect(envelopes[0].partition == 0)
        #expect(envelopes[0].offset == 0)
        #expect(envelopes[0].tstype == "create")
        #expect(envelopes[0].broker >= 0, "the partition leader's node id")
        #expect(envelopes[0].ts > 1_600_000_000_000)
        #expect(envelopes[0].key == "key1")
        #expect(envelopes[0].payload == "value \"quoted\"")
        #expect(envelopes[0].headers == ["trace", "abc", "empty", ""])
        #expect(envelopes[1].offset == 1)
        #expect(envelopes[1].key == nil)
        #expect(envelopes[1].payload == "no key here")
        #expect(envelopes[1].headers == nil)

        // The exact keys and their JSON types, as kcat writes them.
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(Set(first.keys) == ["topic", "partition", "offset", "tstype", "ts", "broker", "headers", "key", "payload"])
        #expect(first["partition"] is NSNumber && first["offset"] is NSNumber && first["ts"] is NSNumber && first["broker"] is NSNumber)
        #expect(first["topic"] is String && first["key"] is String && first["payload"] is String && first["headers"] is [Any])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(Set(second.keys) == ["topic", "partition", "offset", "tstype", "ts", "broker", "key", "payload"])
        #expect(second["key"] is NSNull)
    }

    @Test("-f renders kcat's tokens and escapes")
    func formatString() async throws {
        let topic = TestBroker.uniqueTopicName("skcat-fmt")
        try await SkcatRunner.createTopic(topic, partitions: 1)
        try await produce(topic, "a=hello\nworld\n", ["-K", "=", "-H", "h1=v1"])
        let result = try await consume(topic, ["-f", "%t|%p|%o|%k|%s|%K|%S|%h|%%\\n"])
        #expect(result.lines == [
            "\(topic)|0|0|a|hello|1|5|h1=v1|%",
            "\(topic)|0|1||world|-1|5|h1=v1|%",
        ])
        let timestamps = try await consume(topic, ["-f", "%T\\t%o\\n"])
        for line in timestamps.lines {
            let fields = line.split(separator: "\t")
            #expect(fields.count == 2 && (Int64(fields[0]) ?? 0) > 1_600_000_000_000)
        }
    }

    @Test("-G group topics: the group's member reads every partition, then exits at the end")
    func groupMode() async throws {
        let topic = TestBroker.uniqueTopicName("skcat-group")
        try await SkcatRunner.createTopic(topic, partitions: 2)
        try await produce(topic, "r0\n", ["-p", "0"])
        try await produce(topic, "r1\nr2\n", ["-p", "1"])
        let group = TestBroker.uniqueTopicName("skcat-g")
        let result = try await SkcatRunner.run(
            ["-b", SkcatRunner.brokers(), "-G", group, "-e", "-q", "-X", "session.timeout.ms=6000",
             "-X", "partition.assignment.strategy=cooperative-sticky", "-f", "%p %s\\n", topic],
            timeout: .seconds(90))
        #expect(result.status == 0, "group consume failed: \(result.stderr)")
        #expect(result.lines.sorted() == ["0 r0", "1 r1", "1 r2"])
    }

    @Test("-L lists brokers, topics and partitions as text and as JSON")
    func metadata() async throws {
        let topic = TestBroker.uniqueTopicName("skcat-meta")
        try await SkcatRunner.createTopic(topic, partitions: 3)
        let text = try await SkcatRunner.run(["-L", "-b", SkcatRunner.brokers(), "-t", topic])
        #expect(text.status == 0)
        let brokerCount = TestBroker.brokerCount
        #expect(text.stdout.contains(" \(brokerCount) brokers:"))
        #expect(text.stdout.contains("topic \"\(topic)\" with 3 partitions:"))
        #expect(text.stdout.contains("    partition 2, leader "))

        struct Listing: Decodable {
            struct Broker: Decodable { var id: Int32; var name: String }
            struct Replica: Decodable { var id: Int32 }
            struct Partition: Decodable { var partition: Int32; var leader: Int32; var replicas: [Replica]; var isrs: [Replica] }
            struct Topic: Decodable { var topic: String; var partitions: [Partition] }
            var controllerid: Int32
            var brokers: [Broker]
            var topics: [Topic]
        }
        let json = try await SkcatRunner.run(["-L", "-J", "-b", SkcatRunner.brokers(), "-t", topic])
        #expect(json.status == 0)
        let listing = try JSONDecoder().decode(Listing.self, from: Data(json.stdout.utf8))
        #expect(!listing.brokers.isEmpty)
        #expect(listing.topics.map(\.topic) == [topic])
        #expect(listing.topics.first?.partitions.map(\.partition) == [0, 1, 2])
        let brokerIds = Set(listing.brokers.map(\.id))
        #expect(listing.brokers.count == brokerCount)
        #expect(listing.topics.first?.partitions.allSatisfy { brokerIds.contains($0.leader) } == true)
        #expect(brokerIds.contains(listing.controllerid))
    }

    @Test("-Q finds the offset of the first record at or after a timestamp")
    func offsetsForTimes() async throws {
        let topic = TestBroker.uniqueTopicName("skcat-q")
        try await SkcatRunner.createTopic(topic, partitions: 1)
        try await produce(topic, "early\n")
        try await Task.sleep(for: .milliseconds(600))
        try await produce(topic, "late\n")
        let stamps = try await consume(topic, ["-f", "%T\\n"]).lines.compactMap { Int64($0) }
        try #require(stamps.count == 2)
        let brokers = try SkcatRunner.brokers()
        let text = try await SkcatRunner.run(["-Q", "-b", brokers, "-t", "\(topic):0:\(stamps[1])", "-t", "\(topic):0:0"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.lines == ["\(topic) [0] offset 1", "\(topic) [0] offset 0"])
        let json = try await SkcatRunner.run(["-Q", "-J", "-b", brokers, "-t", "\(topic):0:\(stamps[1])"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [String: Any]])
        let entry = try #require(parsed[topic]?["0"] as? [String: Any])
        #expect((entry["offset"] as? NSNumber)?.int64Value == 1)
    }

    @Test("an unreachable broker: exit 1 and one error line")
    func unknownBroker() async throws {
        let result = try await SkcatRunner.run(["-L", "-b", "127.0.0.1:1"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("% ERROR: cannot reach the brokers") == true)
    }

    @Test("an unknown topic (auto-creation off): exit 1 and one error line, producing and consuming")
    func unknownTopic() async throws {
        let topic = TestBroker.uniqueTopicName("skcat-missing")
        let brokers = try SkcatRunner.brokers()
        for arguments in [["-C", "-e"], ["-P"]] {
            let result = try await SkcatRunner.run(arguments + ["-b", brokers, "-t", topic], input: "x\n")
            #expect(result.status == 1)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix("% ERROR: unknown topic or partition") == true, "\(result.stderr)")
        }
    }

    @Test("usage errors exit with 2", arguments: [
        ["-C", "-b", "127.0.0.1:9092"],
        ["-C", "-b", "127.0.0.1:9092", "-t", "t", "-o", "bogus"],
        ["-Z"],
        ["-L", "-b", "127.0.0.1:9092", "-X", "no.such.property=1"],
        ["-L"],
        ["-P", "-C", "-t", "t", "-b", "127.0.0.1:9092"],
        ["-Q", "-b", "127.0.0.1:9092", "-t", "topic-without-partition"],
        ["msk-token"],
    ])
    func usageErrors(_ arguments: [String]) async throws {
        let result = try await SkcatRunner.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("% ERROR: "))
    }

    @Test("msk-token prints the AWS_MSK_IAM payload and an OAUTHBEARER token for fixed credentials and time")
    func mskToken() async throws {
        // The default chain reads the environment first; the child inherits it, so set it via env(1).
        let result = try await SkcatRunner.runWithEnvironment(
            ["AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"],
            ["msk-token", "--region", "us-east-1", "--host", "b-1.example.kafka.us-east-1.amazonaws.com:9098", "--time", "1700000000"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.lines
        try #require(lines.count == 3)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(payload["version"] == "2020_10_22")
        #expect(payload["host"] == "b-1.example.kafka.us-east-1.amazonaws.com")
        #expect(payload["action"] == "kafka-cluster:Connect")
        #expect(payload["x-amz-date"] == "20231114T221320Z")
        #expect(payload["x-amz-credential"] == "AKIDEXAMPLE/20231114/us-east-1/kafka-cluster/aws4_request")
        #expect(!lines[1].contains("=") && !lines[1].contains("+") && !lines[1].contains("/"))
        #expect(lines[2].hasPrefix("https://kafka.us-east-1.amazonaws.com/?Action=kafka-cluster%3AConnect"))
    }
}
