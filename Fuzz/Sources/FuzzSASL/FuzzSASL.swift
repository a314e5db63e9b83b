// Fuzzes the SASL parsers: SCRAM server-first and server-final messages, the
// OAUTHBEARER error reply (its flat JSON reader) and base64.
//
// Input: selector (1 byte), then the payload. Selector mod 4:
// 0, 1: SCRAM-SHA-256 / -512: server-first, a 0x00 byte, server-final;
// 2: OAUTHBEARER error reply; 3: base64 text (decoding must invert encoding).
//
// Checked: no trap; every malformed message is a thrown error.
@_spi(Fuzzing) import KafkaClient
import FuzzSupport

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzSASL_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var input = FuzzInput(start, count)
    let selector = input.byte() % 4
    let payload = input.rest
    switch selector {
    case 0, 1:
        let split = payload.firstIndex(of: 0) ?? payload.endIndex
        let serverFinal = split < payload.endIndex ? Array(payload[(split + 1)...]) : []
        _ = try? SASLFuzzing.scramExchange(serverFirst: Array(payload[..<split]), serverFinal: serverFinal,
                                           sha512: selector == 1)
    case 2:
        _ = SASLFuzzing.oauthBearerReason(fromErrorJSON: payload)
        _ = SASLFuzzing.jsonStringMember("status", in: String(decoding: payload, as: UTF8.self))
    default:
        let text = String(decoding: payload, as: UTF8.self)
        if let decoded = SASLFuzzing.base64Decode(text), SASLFuzzing.base64Encode(decoded) != text {
            fuzzFailure("base64 accepted a non-canonical encoding")
        }
    }
    return 0
}
