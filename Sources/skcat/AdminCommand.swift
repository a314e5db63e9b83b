import ArgumentParser
import KafkaClient

/// `skcat admin ...`: topics, consumer groups (with lag) and configurations,
/// through `KafkaAdminClient`. Output is one item per line, tab-separated, for scripts.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skcat admin",
        abstract: "Administer topics, consumer groups and configurations.",
        subcommands: [Topics.self, Groups.self, Configs.self])
}

/// Where the cluster is and how to reach it, as for the kcat modes.
struct AdminConnection: ParsableArguments {
    @Option(name: .customShort("b"), help: "Bootstrap brokers, host:port[,host:port...].")
    var brokers: String = "localhost:9092"

    @Option(name: .customShort("X"), help: "A client property, key=value (security.protocol, sasl.*, ssl.*).")
    var properties: [String] = []

    func client() throws -> KafkaAdminClient {
        let cluster = try cluster()
        var configuration = KafkaAdminClient.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.cluster = cluster
        configuration.cluster.allowAutoTopicCreation = false
        return try KafkaAdminClient(configuration: configuration)
    }

    /// The cluster settings from `-b` and `-X`, parsed as the kcat modes parse them.
    func cluster() throws(SkcatFailure) -> KafkaCluster.Configuration {
        let words = ["-b", brokers] + properties.flatMap { ["-X", $0] } + ["-L"]
        do throws(UsageError) {
            return try ClientProperties(arguments: try KcatArguments.parse(words)).cluster
        } catch {
            throw error.failure
        }
    }
}

extension AdminCommand {
    /// Prints per-item results; returns whether every item succeeded.
    static func report<T>(_ results: [(String, Result<T, KafkaError>)], success: (T) -> String) -> Bool {
        var allGood = true
        for (item, result) in results.sorted(by: { $0.0 < $1.0 }) {
            switch result {
            case .success(let value): OutputStream.print("\(item)\t\(success(value))", descriptor: 1)
            case .failure(let error):
                allGood = false
                Console.error("\(item): \(SkcatFailure.describe(error))")
            }
        }
        return allGood
    }
}
