import ArgumentParser
import KafkaClient

/// Runs the swift-argument-parser commands beside the kcat modes (`msk-token`,
/// `admin ...`) with skcat's exit codes: 0 success, 1 a Kafka or runtime error,
/// 2 a usage error; help goes to stdout with 0.
enum SubcommandRunner {
    static func execute(_ root: any ParsableCommand.Type, _ words: [String]) async -> Int32 {
        // Parse errors and help requests surface both from parsing and from validation in run().
        func helpOrUsageError(_ error: any Error) -> Int32 {
            if root.exitCode(for: error) == .success {
                OutputStream.print(root.fullMessage(for: error), descriptor: 1)
                return 0
            }
            Console.error(root.message(for: error))
            return 2
        }
        var command: any ParsableCommand
        do {
            command = try root.parseAsRoot(words)
        } catch {
            return helpOrUsageError(error)
        }
        do {
            if var runnable = command as? any AsyncParsableCommand {
                try await runnable.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as SkcatFailure {
            Console.error(failure.message)
            return failure.exitCode
        } catch let error as KafkaError {
            Console.error(SkcatFailure.describe(error))
            return 1
        } catch {
            return helpOrUsageError(error)
        }
    }
}
