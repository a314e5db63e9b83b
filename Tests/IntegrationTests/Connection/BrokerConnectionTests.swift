import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

@Suite("BrokerConnection on the real broker")
struct BrokerConnectionTests {
    func connection(maxInFlight: Int = 5) throws -> BrokerConnection {
        let broker = try TestBroker.bootstrap()
        var configuration = BrokerConnection.Configuration()
        configuration.maxInFlight = maxInFlight
        return try BrokerConnection(host: broker.host, port: broker.port, configuration: configuration)
    }

    @Test("negotiates versions and answers Metadata")
    func negotiatesAndAnswers() async throws {
        let connection = try connection()
        let versions = try await connection.apiVersions()
        #expect(versions.brokerRange(for: .metadata) != nil)
        #expect(versions.brokerRange(for: .produce) != nil)
        let metadata = try await connection.send(MetadataRequest(topics: [], allowAutoTopicCreation: false))
        #expect(!metadata.brokers.isEmpty)
        #expect(metadata.brokers.allSatisfy { $0.port > 0 && !$0.host.isEmpty })
        await connection.close()
        #expect(connection.isClosed)
    }

    @Test("10,000 concurrent Metadata and ApiVersions requests on one connection are all answered and matched")
    func tenThousandConcurrentRequests() async throws {
        let connection = try connection(maxInFlight: 256)
        let total = 10_000
        // Each Metadata request names its own missing topic; the broker echoes the
        // name, so a response given to the wrong caller would be caught.
        let matched = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<total {
                group.addTask {
                    if index % 10 == 0 {
                        let response = try await connection.send(ApiVersionsRequest(clientSoftwareName: "t", clientSoftwareVersion: "1"))
                        return response.errorCode == 0 && !response.apiKeys.isEmpty
                    }
                    let name = "absent-topic-\(index)"
                    var request = MetadataRequest(topics: [.init(name: name)], allowAutoTopicCreation: false)
                    request.includeTopicAuthorizedOperations = false
                    let response = try await connection.send(request)
                    return response.topics.count == 1 && response.topics[0].name == name
                }
            }
            var matched = 0
            for try await ok in group where ok { matched += 1 }
            return matched
        }
        #expect(matched == total)
        await connection.close()
    }

    @Test("a request after close fails with connectionClosed")
    func requestAfterClose() async throws {
        let connection = try connection()
        _ = try await connection.apiVersions()
        await connection.close()
        await #expect(throws: KafkaError.self) { _ = try await connection.send(MetadataRequest(topics: [])) }
        do throws(KafkaError) {
            _ = try await connection.send(MetadataRequest(topics: []))
        } catch {
            #expect(error.code == .connectionClosed)
            #expect(error.apiKey == .metadata)
        }
    }

    @Test("nothing listening: connect fails with an I/O error naming the address")
    func connectRefused() async throws {
        // A port that was just free: the listener is closed when it goes out of scope.
        let port = try { try LocalTCPListener().port }()
        let connection = try BrokerConnection(host: "127.0.0.1", port: port)
        do throws(KafkaError) {
            _ = try await connection.send(MetadataRequest(topics: []))
            Issue.record("a request on a refused connection succeeded")
        } catch {
            #expect(error.code == .ioError)
            #expect(error.address == "127.0.0.1:\(port)")
            #expect(error.isRetriable)
            #expect("\(error)".contains("connectionRefused"))
        }
        #expect(connection.isClosed)
    }

    @Test("a broker that never answers ApiVersions: the setup times out")
    func silentBrokerTimesOut() async throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { accepted in
            _ = try? accepted.readFrame()
            Thread.sleep(forTimeInterval: 3)
            accepted.close()
        }
        var configuration = BrokerConnection.Configuration()
        configuration.setupTimeout = .milliseconds(300)
        let connection = try BrokerConnection(host: "127.0.0.1", port: listener.port, configuration: configuration)
        do throws(KafkaError) {
            _ = try await connection.apiVersions()
            Issue.record("negotiation with a silent broker succeeded")
        } catch {
            #expect(error.code == .requestTimedOut)
        }
    }

    @Test("a response with the wrong correlation id closes the connection as a protocol violation")
    func wrongCorrelationId() async throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { accepted in
            _ = try accepted.readFrame()
            try accepted.writeFrame([0, 0, 0x30, 0x39, 0, 0])  // correlation id 12345
            Thread.sleep(forTimeInterval: 1)
        }
        let connection = try BrokerConnection(host: "127.0.0.1", port: listener.port)
        do throws(KafkaError) {
            _ = try await connection.apiVersions()
            Issue.record("negotiation succeeded on a garbled response")
        } catch {
            #expect(error.code == .protocolViolation || error.code == .ioError)
            #expect("\(error)".contains("correlation id 12345"))
        }
    }

    @Test("the broker killed mid-stream: pending requests fail with a connection error, none hang")
    func brokerKilledMidStream() async throws {
        let broker = try TestBroker.startDedicated()
        defer { TestBroker.stopDedicated(port: broker.port) }
        var configuration = BrokerConnection.Configuration()
        configuration.maxInFlight = 64
        configuration.requestTimeout = .seconds(20)
        let connection = try BrokerConnection(host: broker.host, port: broker.port, configuration: configuration)
        _ = try await connection.apiVersions()

        // Workers keep requests in flight until the connection fails under them.
        let outcomes = await withTaskGroup(of: KafkaError?.self) { group in
            for worker in 0..<32 {
                group.addTask {
                    var round = 0
                    while true {
                        do throws(KafkaError) {
                            round += 1
                            let request = MetadataRequest(topics: [.init(name: "gone-\(worker)-\(round)")], allowAutoTopicCreation: false)
                            _ = try await connection.send(request)
                        } catch {
                            return error
                        }
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(300))
                TestBroker.stopDedicated(port: broker.port)
                return nil
            }
            var errors: [KafkaError?] = []
            for await outcome in group { errors.append(outcome) }
            return errors
        }
        let failures = outcomes.compactMap { $0 }
        #expect(failures.count == 32)
        for failure in failures {
            #expect([KafkaError.Code.ioError, .connectionClosed].contains(failure.code), "\(failure)")
            #expect(failure.isRetriable)
        }
        #expect(connection.isClosed)
        #expect(connection.closeReason?.code == .ioError)
    }
}
