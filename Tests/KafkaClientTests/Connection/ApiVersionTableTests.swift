import KafkaWire
import Testing
@testable import KafkaClient

@Suite("Connection: ApiVersionTable and the ApiVersions bootstrap")
struct ConnectionApiVersionTableTests {
    typealias F = ConnectionFixtures

    @Test("picks the highest version both sides support, capped on request")
    func intersection() throws {
        let table = ApiVersionTable(F.apiVersionsResponse([.produce: 3...7, .fetch: 0...99]))
        #expect(try table.version(for: ProduceRequest.self) == 7)
        #expect(try table.version(for: ProduceRequest.self, ceiling: 5) == 5)
        #expect(try table.version(for: FetchRequest.self) == FetchRequest.validVersions.upperBound)
        #expect(table.brokerRange(for: .produce) == 3...7)
    }

    @Test("a missing API is apiNotSupported, naming it")
    func missingApi() {
        let table = ApiVersionTable(ranges: [.produce: 3...7])
        #expect {
            try table.version(for: MetadataRequest.self)
        } throws: { error in
            let error = error as? KafkaError
            return error?.code == .apiNotSupported && error?.apiKey == .metadata
        }
    }

    @Test("disjoint ranges are unsupportedVersion carrying both ranges")
    func noOverlap() {
        let table = ApiVersionTable(ranges: [.produce: 20...30])
        do {
            _ = try table.version(apiKey: .produce, clientVersions: 0...11)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unsupportedVersion)
            #expect(error.clientVersions == 0...11)
            #expect(error.brokerVersions == 20...30)
            #expect(error.description.contains("broker v20-30"))
        }
        // A cap below the broker's minimum also leaves nothing.
        #expect(throws: KafkaError.self) { try ApiVersionTable(ranges: [.produce: 5...9]).version(for: ProduceRequest.self, ceiling: 4) }
    }

    @Test("entries with min > max are dropped rather than trusted")
    func malformedEntry() {
        var response = F.apiVersionsResponse([.produce: 3...7])
        var bad = ApiVersionsResponse.ApiVersion()
        bad.apiKey = ApiKey.fetch.rawValue
        bad.minVersion = 9
        bad.maxVersion = 2
        response.apiKeys.append(bad)
        #expect(ApiVersionTable(response).brokerRange(for: .fetch) == nil)
    }

    @Test("UNSUPPORTED_VERSION retries at the broker's KIP-511 range, else v0")
    func bootstrapFallback() throws {
        #expect(ApiVersionsNegotiation.initialVersion == ApiVersionsRequest.validVersions.upperBound)
        let withRange = F.apiVersionsResponse([.apiVersions: 0...2], errorCode: .unsupportedVersion)
        #expect(try ApiVersionsNegotiation.evaluate(withRange, sentVersion: 4) == .retry(version: 2))
        let empty = F.apiVersionsResponse([:], errorCode: .unsupportedVersion)
        #expect(try ApiVersionsNegotiation.evaluate(empty, sentVersion: 4) == .retry(version: 0))
        // Rejected at v0: nothing lower to try.
        #expect(throws: KafkaError.self) { try ApiVersionsNegotiation.evaluate(empty, sentVersion: 0) }
        // A range no lower than what was sent must not loop.
        let same = F.apiVersionsResponse([.apiVersions: 0...4], errorCode: .unsupportedVersion)
        #expect(throws: KafkaError.self) { try ApiVersionsNegotiation.evaluate(same, sentVersion: 4) }
    }

    @Test("other ApiVersions errors fail negotiation")
    func otherError() {
        let response = F.apiVersionsResponse([:], errorCode: KafkaErrorCode(-1))
        #expect(throws: KafkaError.self) { try ApiVersionsNegotiation.evaluate(response, sentVersion: 3) }
    }
}
