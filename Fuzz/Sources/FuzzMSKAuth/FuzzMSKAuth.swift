// Fuzzes what MSKAuth parses from brokers and credential sources: HTTP
// responses of the metadata and STS endpoints, EC2/ECS credentials JSON, STS
// XML, credential_process output, AWS config files, the MSK IAM
// authentication reply and broker host names.
//
// Input: selector (1 byte, mod 7), then the payload.
//
// Checked: no trap; malformed input is a thrown error.
@_spi(Fuzzing) import MSKAuth
import FuzzSupport

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzMSKAuth_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var input = FuzzInput(start, count)
    let selector = input.byte() % 7
    let payload = input.rest
    let text = String(decoding: payload, as: UTF8.self)
    switch selector {
    case 0: _ = try? MSKAuthFuzzing.httpResponse(payload)
    case 1: _ = try? MSKAuthFuzzing.metadataCredentials(payload)
    case 2: _ = try? MSKAuthFuzzing.stsResponse(payload, status: payload.count % 2 == 0 ? 200 : 403)
    case 3: _ = try? MSKAuthFuzzing.credentialProcessOutput(payload)
    case 4: _ = MSKAuthFuzzing.configFile(text, isCredentialsFile: payload.count % 2 == 0)
    case 5: _ = try? MSKAuthFuzzing.iamAuthResponse(payload)
    default: _ = try? MSKAuthFuzzing.brokerRegion(text)
    }
    return 0
}
