import ArgumentParser
import KafkaClient

extension AdminCommand {
    struct Groups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "groups", abstract: "List and describe consumer groups, and show their lag.",
            subcommands: [List.self, Describe.self, Lag.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List groups: id, protocol type, state.")
            @OptionGroup var connection: AdminConnection

            func run() async throws {
                let admin = try connection.client()
                let groups = try await admin.listConsumerGroups()
                await admin.close()
                for group in groups {
                    OutputStream.print("\(group.groupId)\t\(group.protocolType)\t\(group.state)", descriptor: 1)
                }
            }
        }

        struct Describe: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Describe groups: state, assignor, and one line per member.")
            @OptionGroup var connection: AdminConnection
            @Argument(help: "Group ids.") var groups: [String]

            func run() async throws {
                let admin = try connection.client()
                let results = try await admin.describeConsumerGroups(groups)
                await admin.close()
                let ok = AdminCommand.report(results.map { ($0.key, $0.value) }) { group in
                    let members = group.members.map { member in
                        "\n  \(member.memberId)\t\(member.clientId)\t\(member.clientHost)\t"
                            + member.assignment.map(\.description).joined(separator: ",")
                            + (member.memberEpoch.map { "\tepoch=\($0)" } ?? "")
                    }
                    // A KIP-848 group also shows its epochs (ConsumerGroupDescribe).
                    let epochs = group.groupEpoch.map { "\tgroup-epoch=\($0)\tassignment-epoch=\(group.assignmentEpoch ?? -1)" } ?? ""
                    return "\(group.state)\t\(group.protocolType)\t\(group.assignor)\tmembers=\(group.members.count)\ttype=\(group.type)"
                        + epochs + members.joined()
                }
                if !ok { throw SkcatFailure.runtime("some groups could not be described") }
            }
        }

        struct Lag: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A group's lag: topic, partition, committed, end, lag; then the total.")
            @OptionGroup var connection: AdminConnection
            @Argument(help: "The group id.") var group: String

            func run() async throws {
                let admin = try connection.client()
                let lag = try await admin.consumerGroupLag(group: group)
                await admin.close()
                for (partition, entry) in lag.partitions.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
                    OutputStream.print("\(partition.topic)\t\(partition.partition)\t\(entry.committed.map(String.init) ?? "-")\t"
                                       + "\(entry.end)\t\(entry.lag)", descriptor: 1)
                }
                OutputStream.print("total\t\(lag.total)", descriptor: 1)
            }
        }
    }
}
