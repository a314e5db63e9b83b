import ArgumentParser
import Foundation
import KafkaClient
import KafkaTracking

/// `skcat lineage CORRELATION_ID`: reads a flow's hops from the lineage topic
/// (written by `LineageRecorder`) and prints its graph: the events as a causation
/// tree with producers, consumers and latencies, or the graph as JSON with `-J`.
/// Exits 1 when the topic holds no hop of that flow.
struct LineageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skcat lineage",
        abstract: "Print the lineage of one correlation id: events, causation, services and latencies.")

    @OptionGroup var connection: AdminConnection

    @Option(name: .long, help: "The lineage topic.")
    var topic: String = LineageRecorder.defaultTopic

    @Flag(name: .customShort("J"), help: "Print the graph as JSON.")
    var json = false

    @Option(name: .long, help: "Seconds the read may take.")
    var timeout: Int = 30

    @Argument(help: "The flow's correlation id (a UUID).")
    var correlationId: String

    func validate() throws {
        guard UUID(uuidString: correlationId) != nil else { throw ValidationError("\"\(correlationId)\" is not a UUID") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        guard let id = UUID(uuidString: correlationId) else { throw ValidationError("\"\(correlationId)\" is not a UUID") }
        let cluster = try connection.cluster()
        var consumer = KafkaConsumer.Configuration(bootstrapServers: cluster.bootstrapServers)
        consumer.cluster = cluster
        consumer.fetchMaxWait = .milliseconds(100)
        var query = LineageQuery(configuration: consumer, topic: topic)
        query.timeout = .seconds(timeout)
        let graph = try await query.graph(correlationId: id)
        guard !graph.hops.isEmpty else { throw SkcatFailure.runtime("no hops recorded for \(correlationId) in \(topic)") }
        OutputStream.print(json ? graph.json : graph.text, descriptor: 1)
    }
}
