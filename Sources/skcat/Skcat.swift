#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KafkaClient
import Logging

/// skcat: a kcat-compatible command line for Kafka on swift-kafka-native.
///
/// Exit codes: 0 success, 1 a Kafka or runtime error (unreachable broker,
/// authentication failure, unknown topic, failed deliveries), 2 a usage error.
@main
enum Skcat {
    static func main() async {
        let words = Array(CommandLine.arguments.dropFirst())
        if words.first == "msk-token" {
            exit(await SubcommandRunner.execute(MSKTokenCommand.self, Array(words.dropFirst())))
        }
        if words.first == "lineage" {
            exit(await SubcommandRunner.execute(LineageCommand.self, Array(words.dropFirst())))
        }
        if words.first == "admin" {
            exit(await SubcommandRunner.execute(AdminCommand.self, Array(words.dropFirst())))
        }
        exit(await run(words))
    }

    static func run(_ words: [String]) async -> Int32 {
        let arguments: KcatArguments
        do throws(UsageError) {
            arguments = try KcatArguments.parse(words)
        } catch {
            Console.error(error.description)
            OutputStream.print("Run skcat -h for usage.", descriptor: 2)
            return 2
        }
        if arguments.help {
            OutputStream.print(Usage.text, descriptor: 1)
            return 0
        }
        if arguments.version {
            OutputStream.print("skcat (swift-kafka-native \(KafkaClientVersion.current))", descriptor: 1)
            return 0
        }
        switch arguments.propertyCommand {
        case .list:
            OutputStream.print(ClientProperties.list, descriptor: 1)
            return 0
        case .dump:
            do throws(UsageError) {
                OutputStream.print(try ClientProperties(arguments: arguments).dump, descriptor: 1)
                return 0
            } catch {
                Console.error(error.description)
                return 2
            }
        case nil:
            break
        }
        let level: Logger.Level = arguments.verbose ? .debug : (arguments.quiet ? .critical : .error)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "skcat")
        logger.logLevel = level
        do throws(SkcatFailure) {
            let properties: ClientProperties
            do throws(UsageError) { properties = try ClientProperties(arguments: arguments) } catch { throw error.failure }
            switch arguments.mode {
            case .produce: try await ProduceMode(arguments: arguments, properties: properties, logger: logger).run()
            case .consume: try await ConsumeMode(arguments: arguments, properties: properties, logger: logger).run()
            case .metadata: try await MetadataMode(arguments: arguments, properties: properties).run()
            case .query: try await QueryMode(arguments: arguments, properties: properties).run()
            case nil: throw .usage("one of -P, -C, -L or -Q is required")
            }
            return 0
        } catch {
            Console.error(error.message)
            return error.exitCode
        }
    }
}
