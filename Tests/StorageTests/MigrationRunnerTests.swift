import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Storage

@Suite("Migration runner")
struct MigrationRunnerTests {
    /// A temporary migrations folder holding `files` (name → SQL).
    private func migrationsFolder(_ files: [String: String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("skein-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, sql) in files {
            try sql.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder.path
    }

    private func runner(_ db: TestDatabase, _ folder: String) -> MigrationRunner {
        MigrationRunner(client: db.client, directory: folder, logger: db.logger)
    }

    private func recordedNames(_ db: TestDatabase) async throws -> [String] {
        var names: [String] = []
        for try await name in try await db.client.query(
            "SELECT name FROM skein_schema_migrations ORDER BY version"
        ).decode(String.self) {
            names.append(name)
        }
        return names
    }

    private func tableExists(_ db: TestDatabase, _ table: String) async throws -> Bool {
        let rows = try await db.client.query("SELECT to_regclass(\(table)) IS NOT NULL").collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    @Test func migrationsApplyInNumericOrderAndAreRecorded() async throws {
        let folder = try migrationsFolder([
            "10_add_index.sql": "CREATE INDEX things_name ON things (name);",
            "2_add_column.sql": "ALTER TABLE things ADD COLUMN name text;\nINSERT INTO things (id, name) VALUES (1, 'one');",
            "1_create.sql": "-- the first table\nCREATE TABLE things (id int PRIMARY KEY);",
            "README.txt": "not a migration",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.with { db in
            let applied = try await runner(db, folder).migrate()
            #expect(applied == ["1_create.sql", "2_add_column.sql", "10_add_index.sql"])
            #expect(try await recordedNames(db) == applied)
            let rows = try await db.client.query("SELECT name FROM things WHERE id = 1").collect()
            #expect(try rows.first?.decode(String.self) == "one")
            let appliedAt = try await db.client.query(
                "SELECT count(*) FROM skein_schema_migrations WHERE applied_at > now() - interval '1 hour'"
            ).collect()
            #expect(try appliedAt.first?.decode(Int.self) == 3)
        }
    }

    @Test func rerunningAppliesNothingAndNothingIsPending() async throws {
        let folder = try migrationsFolder([
            "0001_create.sql": "CREATE TABLE things (id int PRIMARY KEY);",
            "0002_fill.sql": "INSERT INTO things VALUES (1);",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.with { db in
            #expect(try await runner(db, folder).pending() == ["0001_create.sql", "0002_fill.sql"])
            #expect(try await runner(db, folder).migrate().count == 2)
            #expect(try await runner(db, folder).migrate() == [])
            #expect(try await runner(db, folder).pending() == [])
            let rows = try await db.client.query("SELECT count(*) FROM things").collect()
            #expect(try rows.first?.decode(Int.self) == 1)
        }
    }

    @Test func aNewFileIsPendingUntilItIsApplied() async throws {
        let folder = try migrationsFolder(["0001_create.sql": "CREATE TABLE things (id int);"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.with { db in
            try await runner(db, folder).migrate()
            try "CREATE TABLE more_things (id int);".write(toFile: "\(folder)/0002_more.sql", atomically: true, encoding: .utf8)
            #expect(try await runner(db, folder).pending() == ["0002_more.sql"])
            #expect(try await runner(db, folder).migrate() == ["0002_more.sql"])
        }
    }

    @Test func aBrokenMigrationRollsBackAndNamesTheFileAndTheStatement() async throws {
        let folder = try migrationsFolder([
            "0001_good.sql": "CREATE TABLE good (id int);",
            "0002_broken.sql": """
                CREATE TABLE half_done (id int);

                INSERT INTO no_such_table VALUES (1);
                CREATE TABLE never_reached (id int);
                """,
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.with { db in
            let error = await #expect(throws: MigrationError.self) {
                try await runner(db, folder).migrate()
            }
            guard case .statementFailed(let file, let number, let line, let statement, let message)? = error else {
                Issue.record("expected a failed statement, got \(String(describing: error))")
                return
            }
            #expect(file == "0002_broken.sql")
            #expect(number == 2)
            #expect(line == 3)
            #expect(statement == "INSERT INTO no_such_table VALUES (1)")
            #expect(message.contains("relation \"no_such_table\" does not exist"))
            let description = String(describing: error)
            #expect(description.contains("0002_broken.sql"))
            #expect(description.contains("INSERT INTO no_such_table"))

            #expect(try await tableExists(db, "good"))
            #expect(try await tableExists(db, "half_done") == false)
            #expect(try await recordedNames(db) == ["0001_good.sql"])
            #expect(try await runner(db, folder).pending() == ["0002_broken.sql"])

            // Fixing the file lets the next run apply it.
            try "CREATE TABLE half_done (id int);".write(toFile: "\(folder)/0002_broken.sql", atomically: true, encoding: .utf8)
            #expect(try await runner(db, folder).migrate() == ["0002_broken.sql"])
        }
    }

    @Test func twoRunnersMigratingAtOnceApplyEachFileExactlyOnce() async throws {
        var files: [String: String] = [:]
        for number in 1...6 {
            // Not idempotent: applying any file twice would fail.
            files[String(format: "%04d_table_%d.sql", number, number)] = "CREATE TABLE table_\(number) (id int); SELECT pg_sleep(0.05);"
        }
        let folder = try migrationsFolder(files)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.with { db in
            let first = runner(db, folder)
            let second = runner(db, folder)
            async let a = first.migrate()
            async let b = second.migrate()
            let (appliedByA, appliedByB) = try await (a, b)
            #expect((appliedByA + appliedByB).sorted() == files.keys.sorted())
            #expect(Set(appliedByA).isDisjoint(with: appliedByB))
            #expect(try await recordedNames(db) == files.keys.sorted())
        }
    }

    @Test func filesThatAreNotNumberedAreRejectedBeforeAnythingRuns() async throws {
        let folder = try migrationsFolder(["0001_ok.sql": "CREATE TABLE ok (id int);", "schema.sql": "SELECT 1;"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabase.with { db in
            await #expect(throws: MigrationError.self) { try await runner(db, folder).migrate() }
            let created = try await tableExists(db, "ok")
            #expect(created == false)
        }
    }

    @Test func twoFilesWithTheSameNumberAreRejected() async throws {
        let folder = try migrationsFolder(["0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 2;"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: MigrationError.self) { try Migration.load(from: folder) }
    }

    @Test func theProjectMigrationsApplyToAnEmptyDatabase() async throws {
        try await TestDatabase.with { db in
            let applied = try await runner(db, TestPostgresServer.migrationsDirectory).migrate()
            #expect(!applied.isEmpty)
            #expect(try await runner(db, TestPostgresServer.migrationsDirectory).pending() == [])
        }
    }
}

@Suite("Splitting migration files into statements")
struct MigrationSQLSplitterTests {
    private func sql(_ text: String) -> [String] {
        MigrationSQLSplitter.split(text).map(\.sql)
    }

    @Test func semicolonsEndStatementsAndEmptyOnesAreDropped() {
        #expect(sql("SELECT 1; SELECT 2;;\n\nSELECT 3") == ["SELECT 1", "SELECT 2", "SELECT 3"])
    }

    @Test func semicolonsInsideStringsIdentifiersAndCommentsDoNotSplit() {
        let text = """
            -- a comment; still a comment
            INSERT INTO "odd;name" VALUES ('a;b', 'it''s; fine', E'back\\'slash;');
            /* block; /* nested; */ still; */ SELECT 2;
            """
        #expect(sql(text) == [
            "INSERT INTO \"odd;name\" VALUES ('a;b', 'it''s; fine', E'back\\'slash;')",
            "SELECT 2",
        ])
    }

    @Test func dollarQuotedBodiesStayWhole() {
        let text = """
            CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
            DO $body$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $body$;
            SELECT $1;
            """
        let statements = sql(text)
        #expect(statements.count == 3)
        #expect(statements[0] == "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql")
        #expect(statements[1] == "DO $body$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $body$")
        #expect(statements[2] == "SELECT $1")
    }

    @Test func eachStatementKnowsTheLineItStartsOn() {
        let statements = MigrationSQLSplitter.split("-- header\n\nCREATE TABLE a (id int);\nCREATE TABLE b (\n id int\n);")
        #expect(statements.map(\.line) == [3, 4])
    }

    @Test func aFileOfOnlyCommentsHasNoStatements() {
        #expect(sql("-- nothing here;\n/* or; here */\n").isEmpty)
    }
}
