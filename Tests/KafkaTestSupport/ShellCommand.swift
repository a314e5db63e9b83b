import Foundation

/// Runs a command line through `/bin/sh` and collects its standard output.
///
/// popen rather than Foundation's Process: waiting on a Process from a Swift
/// concurrency thread can hang on Linux, and the broker scripts need nothing but
/// stdout and an exit status.
public enum ShellCommand {
    /// The command's exit code (-1 when it could not be started) and standard output.
    public static func run(_ commandLine: String) -> (status: Int32, output: String) {
        guard let stream = popen(commandLine, "r") else {
            return (-1, "cannot run the command: \(String(cString: strerror(errno)))")
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, stream)
            if count <= 0 { break }
            output.append(contentsOf: chunk[0..<count])
        }
        let status = pclose(stream)
        // pclose returns a wait status: the exit code sits in bits 8-15.
        return ((status >> 8) & 0xFF, String(decoding: output, as: UTF8.self))
    }

    /// `text` quoted for the shell.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
