import ArgumentParser
import KafkaClient

extension AdminCommand {
    struct Configs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "configs", abstract: "Describe and change topic and broker configurations.",
            subcommands: [Describe.self, Set.self])

        struct Target: ParsableArguments {
            @Option(help: "A topic.") var topic: String?
            @Option(help: "A broker id.") var broker: Int32?

            func resource() throws -> ConfigResource {
                switch (topic, broker) {
                case (let topic?, nil): .topic(topic)
                case (nil, let broker?): .broker(broker)
                default: throw ValidationError("give exactly one of --topic and --broker")
                }
            }
        }

        struct Describe: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print name, value and source of each entry.")
            @OptionGroup var connection: AdminConnection
            @OptionGroup var target: Target
            @Argument(help: "Only these keys.") var keys: [String] = []

            func run() async throws {
                let resource = try target.resource()
                let admin = try connection.client()
                let results = try await admin.describeConfigs([resource], keys: keys.isEmpty ? nil : keys)
                await admin.close()
                switch results[resource] {
                case .success(let entries)?:
                    for entry in entries.values.sorted(by: { $0.name < $1.name }) {
                        OutputStream.print("\(entry.name)\t\(entry.isSensitive ? "(sensitive)" : entry.value ?? "")\t\(entry.source)", descriptor: 1)
                    }
                case .failure(let error)?: throw SkcatFailure.kafka(error)
                case nil: throw SkcatFailure.runtime("no answer for \(resource)")
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set entries (key=value) or remove overrides (key=).")
            @OptionGroup var connection: AdminConnection
            @OptionGroup var target: Target
            @Argument(help: "key=value to set, key= to return to the default.") var changes: [String]

            func run() async throws {
                let resource = try target.resource()
                let operations = try changes.map { pair -> AlterConfigOp in
                    guard let equals = pair.firstIndex(of: "=") else { throw ValidationError("expected key=value, not \"\(pair)\"") }
                    let key = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
                    return value.isEmpty ? .delete(key) : .set(key, value)
                }
                let admin = try connection.client()
                let results = try await admin.incrementalAlterConfigs([resource: operations])
                await admin.close()
                if !AdminCommand.report(results.map { ("\($0.key)", $0.value) }, success: { "updated" }) {
                    throw SkcatFailure.runtime("the configuration was not changed")
                }
            }
        }
    }
}
