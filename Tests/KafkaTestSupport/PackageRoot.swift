/// Paths relative to the package checkout, found from this source file's location.
public enum PackageRoot {
    /// The package root (the folder holding Package.swift), without a trailing slash.
    public static let path: String = {
        // This file lives at <root>/Tests/KafkaTestSupport/PackageRoot.swift.
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)
        return components.joined(separator: "/")
    }()

    /// `<root>/relative`.
    public static func appending(_ relative: String) -> String {
        "\(path)/\(relative)"
    }
}
