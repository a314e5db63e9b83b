import Foundation
import KafkaTestSupport

/// Runs the Python reference clients in `Peers/` (confluent-kafka is librdkafka;
/// kafka-python is an independent pure-Python client) as separate processes.
enum PythonPeer {
    /// Whether python3 can import `module`; interop tests skip cleanly when it can't.
    static func hasModule(_ module: String) -> Bool {
        (try? run(["-c", "import \(module)"]).status) == 0
    }

    /// Runs `Peers/<script>` with `arguments` on a thread of its own (a peer can run
    /// for seconds, and blocking the concurrency pool would starve the client
    /// under test); returns exit status and output.
    static func runScript(_ script: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: try runScriptBlocking(script, arguments))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// `runScript`, blocking the calling thread.
    static func runScriptBlocking(_ script: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Peers").appendingPathComponent(script).path
        return try run([path] + arguments)
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read before waiting so a chatty peer can't fill the pipe and block.
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// One record as a peer reports it: hex-encoded key, value and header values.
struct PeerRecord: Decodable, Equatable {
    var offset: Int64
    var key: String?
    var value: String?
    var timestamp: Int64
    var headers: [[String?]]

    static func parseLines(_ text: String) throws -> [PeerRecord] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(PeerRecord.self, from: Data($0.utf8)) }
    }
}
