import Foundation
import KafkaProtocolGeneratorKit

// Usage: kafka-protocol-generator <specs-dir> <output-dir> [<tests-output-dir>]
let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: kafka-protocol-generator <specs-dir> <output-dir> [<tests-output-dir>]\n".utf8))
    exit(2)
}
do {
    let generator = try Generator(specsDirectory: arguments[1])
    let library = try generator.librarySources()
    try Generator.write(library, to: arguments[2])
    print("wrote \(library.count) files to \(arguments[2])")
    if arguments.count == 4 {
        let tests = try generator.testSources()
        try Generator.write(tests, to: arguments[3])
        print("wrote \(tests.count) files to \(arguments[3])")
    }
} catch {
    FileHandle.standardError.write(Data("kafka-protocol-generator: \(error)\n".utf8))
    exit(1)
}
