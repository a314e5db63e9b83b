import Foundation
@testable import KafkaClient
import KafkaTestSupport
import Testing

/// The DocC configuration reference is generated from the README's table by
/// scripts/gen-config-reference.py; this keeps it from falling behind the properties.
@Suite("DocC configuration reference")
struct ConfigurationReferenceTests {
    @Test("every property either client takes, by each of its names, has a row in the configuration reference article")
    func everyPropertyListed() throws {
        let article = try String(contentsOfFile: PackageRoot.appending("Sources/KafkaClient/Documentation.docc/ConfigurationReference.md"),
                                 encoding: .utf8)
        let rows = article.split(separator: "\n").filter { $0.hasPrefix("| `") }
        var listed: Set<String> = []
        for row in rows {
            let firstCell = row.split(separator: "|").first ?? ""
            for part in firstCell.split(separator: "`") where !part.isEmpty && !part.contains(" ") && !part.contains(",") && !part.contains("(") {
                listed.insert(String(part))
            }
            // Every row gives a default in its fourth cell.
            let cells = row.split(separator: "|", omittingEmptySubsequences: false)
            #expect(cells.count >= 6 && !cells[4].trimmingCharacters(in: .whitespaces).isEmpty, "row without a default: \(row)")
        }
        let names = Set(KafkaClientProperties.supported.flatMap(\.names))
        let missing = names.subtracting(listed)
        #expect(missing.isEmpty, "missing from ConfigurationReference.md (run scripts/gen-config-reference.py): \(missing.sorted())")
        let unknown = listed.subtracting(names)
        #expect(unknown.isEmpty, "listed but not taken: \(unknown.sorted())")
    }
}
