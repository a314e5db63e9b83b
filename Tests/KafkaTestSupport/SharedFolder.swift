import Foundation
import Testing

/// The shared input folder (`<package root>/../shared`, or `$KAFKA_SHARED_DIR`) that
/// some tests read: spec files, recorded frames, reference peers. It is not part of
/// the repository, so tests that need it skip when it is absent:
///
/// ```swift
/// @Test(.enabled(if: SharedFolder.isAvailable, SharedFolder.skipComment))
/// ```
public enum SharedFolder {
    /// The folder's path when it exists, else nil.
    public static let path: String? = {
        let candidate = ProcessInfo.processInfo.environment["KAFKA_SHARED_DIR"]
            ?? URL(fileURLWithPath: PackageRoot.path).deletingLastPathComponent().appendingPathComponent("shared").path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return candidate
    }()

    /// True when the shared folder exists.
    public static var isAvailable: Bool { path != nil }

    /// Why a test was skipped, for `.enabled(if:_:)`.
    public static let skipComment: Comment =
        "shared folder not found (set KAFKA_SHARED_DIR or place it at <package root>/../shared); skipping"

    /// The path of `relative` inside the shared folder, if the folder and that item exist.
    public static func item(_ relative: String) -> String? {
        guard let path else { return nil }
        let full = "\(path)/\(relative)"
        return FileManager.default.fileExists(atPath: full) ? full : nil
    }

    /// True when `relative` exists inside the shared folder.
    public static func has(_ relative: String) -> Bool { item(relative) != nil }
}
