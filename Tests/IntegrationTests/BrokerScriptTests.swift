import Foundation
import KafkaClient
import KafkaTestSupport
import Testing

/// `scripts/broker.sh` behaviour the README promises: occupied ports are refused
/// (Tansu would panic on them), and `run` exports the address, passes on the
/// command's exit status and stops the broker afterwards.
@Suite("scripts/broker.sh")
struct BrokerScriptTests {
    /// Runs `scripts/broker.sh ARGS` through the shell; stdout and stderr together.
    private func broker(_ arguments: String) -> (status: Int32, output: String) {
        ShellCommand.run("/bin/bash \(ShellCommand.quoted(PackageRoot.appending("scripts/broker.sh"))) \(arguments) 2>&1 </dev/null")
    }

    @Test("start refuses a port something already listens on")
    func occupiedPort() throws {
        let listener = try LocalTCPListener()
        let result = broker("start \(listener.port)")
        #expect(result.status != 0)
        #expect(result.output.contains("already in use"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: PackageRoot.appending(".tansu/broker-\(listener.port).pid")))
    }

    @Test("start refuses a port that is not a number")
    func badPort() {
        let result = broker("start not-a-port")
        #expect(result.status != 0)
        #expect(result.output.contains("bad port"), "\(result.output)")
    }

    @Test("run exports KAFKA_BOOTSTRAP_SERVERS, returns the command's status and stops the broker")
    func runPassesStatusAndStops() throws {
        let result = broker(#"run -- bash -c 'echo "BOOTSTRAP=$KAFKA_BOOTSTRAP_SERVERS"; exit 7'"#)
        #expect(result.status == 7, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("BOOTSTRAP=") },
                                "\(result.output)")
        let address = line.dropFirst("BOOTSTRAP=".count)
        #expect(address.hasPrefix("127.0.0.1:"))
        let port = try #require(Int(address.dropFirst("127.0.0.1:".count)))
        #expect(!FileManager.default.fileExists(atPath: PackageRoot.appending(".tansu/broker-\(port).pid")))
        let refused = #expect(throws: TransportError.self) {
            _ = try TCPSocket.connect(host: "127.0.0.1", port: port)
        }
        #expect(refused?.code == .connectionRefused)
    }
}
