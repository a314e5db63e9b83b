import ArgumentParser
import KafkaClient

extension AdminCommand {
    struct Topics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "topics", abstract: "List, create, describe and delete topics.",
            subcommands: [List.self, Create.self, Describe.self, Delete.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List topics: name, topic id, internal flag.")
            @OptionGroup var connection: AdminConnection
            @Flag(name: .customLong("internal"), help: "Include Kafka's internal topics.") var includeInternal = false

            func run() async throws {
                let admin = try connection.client()
                let topics = try await admin.listTopics(includeInternal: includeInternal)
                await admin.close()
                for topic in topics {
                    OutputStream.print("\(topic.name)\t\(topic.topicId)\(topic.isInternal ? "\tinternal" : "")", descriptor: 1)
                }
            }
        }

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create topics.")
            @OptionGroup var connection: AdminConnection
            @Option(name: .shortAndLong, help: "Partitions (-1: the broker's default).") var partitions: Int32 = -1
            @Option(name: [.customShort("r"), .long], help: "Replication factor (-1: the broker's default).") var replicationFactor: Int16 = -1
            @Option(name: .customLong("config"), help: "A topic configuration, key=value.") var configs: [String] = []
            @Flag(help: "Only check that the broker would accept the topics.") var validateOnly = false
            @Argument(help: "Topic names.") var names: [String]

            func run() async throws {
                var settings: [String: String] = [:]
                for pair in configs {
                    guard let equals = pair.firstIndex(of: "=") else { throw ValidationError("--config needs key=value, not \"\(pair)\"") }
                    settings[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
                }
                let admin = try connection.client()
                let topics = names.map { NewTopic(name: $0, partitions: partitions, replicationFactor: replicationFactor, configs: settings) }
                let results = try await admin.createTopics(topics, validateOnly: validateOnly)
                await admin.close()
                let ok = AdminCommand.report(results.map { ($0.key, $0.value) }) { created in
                    "created\tpartitions=\(created.partitions)\treplication=\(created.replicationFactor)"
                }
                if !ok { throw SkcatFailure.runtime("some topics were not created") }
            }
        }

        struct Describe: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Describe topics: one line per partition with leader, replicas and ISR.")
            @OptionGroup var connection: AdminConnection
            @Argument(help: "Topic names.") var names: [String]

            func run() async throws {
                let admin = try connection.client()
                let results = try await admin.describeTopics(names)
                await admin.close()
                var ok = true
                for name in names {
                    switch results[name] {
                    case .success(let topic)?:
                        for partition in topic.partitions {
                            OutputStream.print("\(name)\t\(partition.partition)\tleader=\(partition.leaderId)\t"
                                               + "replicas=\(partition.replicas.map(String.init).joined(separator: ","))\t"
                                               + "isr=\(partition.inSyncReplicas.map(String.init).joined(separator: ","))", descriptor: 1)
                        }
                    case .failure(let error)?:
                        ok = false
                        Console.error("\(name): \(SkcatFailure.describe(error))")
                    case nil:
                        ok = false
                        Console.error("\(name): no answer")
                    }
                }
                if !ok { throw SkcatFailure.runtime("some topics could not be described") }
            }
        }

        struct Delete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete topics.")
            @OptionGroup var connection: AdminConnection
            @Argument(help: "Topic names.") var names: [String]

            func run() async throws {
                let admin = try connection.client()
                let results = try await admin.deleteTopics(names)
                await admin.close()
                if !AdminCommand.report(results.map { ($0.key, $0.value) }, success: { "deleted" }) {
                    throw SkcatFailure.runtime("some topics were not deleted")
                }
            }
        }
    }
}
