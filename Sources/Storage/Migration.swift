import Foundation

/// One numbered SQL file from the migrations folder (`NNNN_name.sql`).
public struct Migration: Sendable, Equatable {
    public var version: Int
    /// The file name, e.g. `0001_schema_v1.sql`; recorded in `skein_schema_migrations.name`.
    public var fileName: String
    public var sql: String

    /// Reads every `NNNN_name.sql` in `directory`, ordered by number.
    ///
    /// Throws when the folder cannot be read, a `.sql` file is not named `NNNN_name.sql`, or two
    /// files share a number.
    static func load(from directory: String) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError.unreadableDirectory(directory: directory, reason: error.localizedDescription)
        }
        var migrations: [Migration] = []
        for name in names where name.hasSuffix(".sql") && !name.hasPrefix(".") {
            let digits = name.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, name.dropFirst(digits.count).first == "_", let version = Int(digits) else {
                throw MigrationError.badFileName(fileName: name)
            }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MigrationError.unreadableDirectory(directory: directory, reason: "cannot read \(name)")
            }
            migrations.append(Migration(version: version, fileName: name, sql: String(decoding: data, as: UTF8.self)))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(version: next.version, fileNames: [previous.fileName, next.fileName])
        }
        return migrations
    }
}
