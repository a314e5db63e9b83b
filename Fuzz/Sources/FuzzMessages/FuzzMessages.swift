// Fuzzes every generated request and response decoder, with its frame header.
//
// Input: kind (1 byte, mod 4: 0 request frame, 1 response frame, 2 and 3 the
// consumer protocol's subscription and assignment, versioned), api key
// (int16), version (int16, used for responses; a request's is in its header),
// then the frame after its size prefix: header and body, as on the wire. An unknown key or version is mapped onto a known one so
// that no input is wasted; a recorded frame with its key and version in front
// is a valid input as it is.
//
// Checked: decoding never traps; a decoded frame re-encodes, and that encoding
// decodes and re-encodes to the same bytes; records in Produce requests and
// Fetch responses go through the record batch decoder.
import FuzzSupport
import KafkaWire

/// Every API key this library generates types for, ascending.
let knownKeys: [ApiKey] = ApiKey.allKnown.filter {
    $0.requestType != nil && $0.responseType != nil
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzMessages_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var input = FuzzInput(start, count)
    let kind = input.byte()
    let rawKey = input.int16()
    let rawVersion = input.int16()
    let key = knownKeys.first { $0.rawValue == rawKey } ?? knownKeys[Int(UInt16(bitPattern: rawKey)) % knownKeys.count]
    let frame = input.rest
    switch kind % 4 {
    case 0: if let type = key.requestType { fuzzRequest(type, frame: frame) }
    case 1: if let type = key.responseType { fuzzResponse(type, version: pick(rawVersion, in: type.validVersions), frame: frame) }
    case 2: fuzzVersioned(ConsumerProtocolSubscription.self, frame)
    default: fuzzVersioned(ConsumerProtocolAssignment.self, frame)
    }
    return 0
}

/// `raw` when it is a valid version, else a valid version derived from it.
func pick(_ raw: Int16, in versions: ClosedRange<Int16>) -> Int16 {
    if versions.contains(raw) { return raw }
    let span = Int(versions.upperBound) - Int(versions.lowerBound) + 1
    return versions.lowerBound + Int16(Int(UInt16(bitPattern: raw)) % span)
}

func fuzzRequest<Request: KafkaRequest>(_ type: Request.Type, frame: [UInt8]) {
    guard let (header, body) = try? Request.decodeFrame(frame) else { return }
    if let produce = body as? ProduceRequest {
        for topic in produce.topicData { for partition in topic.partitionData { decodeRecords(partition.records) } }
    }
    checkRoundTrip("\(Request.messageName) v\(header.requestApiVersion)", body,
                   encode: { try $0.encodeFrame(version: header.requestApiVersion, correlationId: header.correlationId,
                                                clientId: header.clientId) },
                   decode: { try Request.decodeFrame($0).body })
}

func fuzzResponse<Response: KafkaResponse>(_ type: Response.Type, version: Int16, frame: [UInt8]) {
    guard let (header, body) = try? Response.decodeFrame(frame, version: version) else { return }
    if let fetch = body as? FetchResponse {
        for topic in fetch.responses { for partition in topic.partitions { decodeRecords(partition.records) } }
    }
    checkRoundTrip("\(Response.messageName) v\(version)", body,
                   encode: { try $0.encodeFrame(version: version, correlationId: header.correlationId) },
                   decode: { try Response.decodeFrame($0, version: version).body })
}

/// A decoded message's encoding must decode, and that must encode to the same bytes.
func checkRoundTrip<Body>(_ name: String, _ body: Body, encode: (Body) throws -> [UInt8], decode: ([UInt8]) throws -> Body) {
    guard let encoded = try? encode(body) else { return }
    let again: Body
    do {
        again = try decode(encoded)
    } catch {
        fuzzFailure("\(name) does not decode its own encoding: \(error)")
    }
    guard (try? encode(again)) == encoded else { fuzzFailure("\(name) re-encodes differently") }
}

func decodeRecords(_ records: [UInt8]?) {
    guard let records else { return }
    // A small cap: growing a debug build's output buffer to megabytes dominates the run time.
    let options = RecordDecodingOptions(decompressedSizeLimit: 256 << 10, verifyChecksums: false)
    _ = try? RecordBatchDecoder.decodeAll(records, options: options)
}

/// The consumer protocol's data in JoinGroup and SyncGroup: a version, then the body.
func fuzzVersioned<Data: KafkaVersionedData>(_ type: Data.Type, _ bytes: [UInt8]) {
    guard let (value, version) = try? Data.decodeVersioned(bytes),
          let encoded = try? value.encodeVersioned(version: min(version, Data.validVersions.upperBound)) else { return }
    guard (try? Data.decodeVersioned(encoded))?.value == value else {
        fuzzFailure("\(Data.messageName) v\(version) does not decode its own encoding to the same value")
    }
}
