import Testing

/// skcat's `-X` properties, run as a process with no broker: `-X dump` parses every
/// property and exits before connecting, as kcat's does.
@Suite("skcat -X properties", .enabled(if: SkcatRunner.executable != nil,
                                       "skcat binary not built: run swift build --build-tests first"))
struct SkcatPropertiesTests {
    @Test("kcat's producer line from issue 23 parses without complaint")
    func issueCommandLine() async throws {
        let result = try await SkcatRunner.run([
            "-P", "-b", "127.0.0.1:9092", "-t", "orders",
            "-X", "enable.idempotence=true", "-X", "acks=all", "-X", "linger.ms=5",
            "-X", "message.max.bytes=1000000", "-X", "retry.backoff.ms=100", "-X", "dump",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        for line in ["enable.idempotence = true", "acks = all", "linger.ms = 5", "message.max.bytes = 1000000", "retry.backoff.ms = 100"] {
            #expect(result.lines.contains(line), "\(result.stdout)")
        }
    }

    @Test("-X debug=... turns on skcat's debug log, as -v does")
    func debugContexts() async throws {
        let result = try await SkcatRunner.run(["-P", "-b", "127.0.0.1:9092", "-t", "orders", "-X", "debug=broker,protocol", "-X", "dump"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("debug"))
    }

    @Test("kcat's topic. prefix: -X topic.acks=1 is acks=1")
    func topicPrefix() async throws {
        let result = try await SkcatRunner.run(["-P", "-b", "127.0.0.1:9092", "-t", "orders", "-X", "topic.acks=1",
                                                "-X", "topic.message.timeout.ms=5000", "-X", "dump"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.contains("acks = 1"))
        #expect(result.lines.contains("message.timeout.ms = 5000"))
        let unknown = try await SkcatRunner.run(["-P", "-b", "127.0.0.1:9092", "-t", "orders", "-X", "topic.no.such=1", "-X", "dump"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("topic.no.such"))
    }

    @Test("consumer, security and socket properties parse; passwords stay hidden")
    func consumerAndSecurity() async throws {
        let result = try await SkcatRunner.run([
            "-C", "-b", "127.0.0.1:9092", "-t", "orders", "-X", "group.id=billing", "-X", "isolation.level=read_committed",
            "-X", "fetch.wait.max.ms=100", "-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=SCRAM-SHA-256",
            "-X", "sasl.username=u", "-X", "sasl.password=hunter2", "-X", "socket.nagle.disable=true", "-X", "dump",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.contains("sasl.password = [redacted]"))
        #expect(!result.stdout.contains("hunter2"))
    }

    @Test("the MSK mechanisms skcat adds take sasl.aws.region; OAUTHBEARER without it is a usage error")
    func mskMechanisms() async throws {
        let secure = ["-L", "-b", "b-1.x.kafka.us-east-1.amazonaws.com:9098", "-X", "security.protocol=sasl_ssl"]
        let iam = try await SkcatRunner.run(secure + ["-X", "sasl.mechanism=AWS_MSK_IAM", "-X", "sasl.aws.region=us-east-1", "-X", "dump"])
        #expect(iam.status == 0, "\(iam.stderr)")
        let oauth = try await SkcatRunner.run(secure + ["-X", "sasl.mechanism=OAUTHBEARER", "-X", "dump"])
        #expect(oauth.status == 2)
        #expect(oauth.stderr.contains("sasl.aws.region"))
    }

    @Test("an unknown property or a bad value is a usage error naming it", arguments: [
        (["-X", "enable.idempotency=true"], "enable.idempotency"),
        (["-X", "linger.ms=soon"], "linger.ms"),
    ])
    func refused(_ extra: [String], _ name: String) async throws {
        let result = try await SkcatRunner.run(["-P", "-b", "127.0.0.1:9092", "-t", "orders"] + extra + ["-X", "dump"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("% ERROR: "))
        #expect(result.stderr.contains(name))
    }

    @Test("-X list names every property, with its aliases")
    func list() async throws {
        let result = try await SkcatRunner.run(["-X", "list"])
        #expect(result.status == 0)
        #expect(result.lines.contains { $0.hasPrefix("enable.idempotence\t") })
        #expect(result.lines.contains { $0.hasPrefix("max.request.size (message.max.bytes)\t") })
        #expect(result.lines.contains { $0.hasPrefix("sasl.aws.region\t") })
    }
}
