import PostgresNIO
import Testing

@Suite("The shared test database harness")
struct TestDatabaseTests {
    @Test func freshDatabasesAreEmptyAndIsolatedFromEachOther() async throws {
        try await TestDatabase.with { first in
            try await TestDatabase.with { second in
                #expect(first.name != second.name)
                try await first.client.query("CREATE TABLE only_in_first (id int)")
                let rows = try await second.client.query(
                    "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'"
                ).collect()
                #expect(try rows.first?.decode(Int.self) == 0)
            }
        }
    }

    @Test func aMigratedDatabaseHasTheProjectSchemaRecorded() async throws {
        try await TestDatabase.with(migrated: true) { db in
            let rows = try await db.client.query("SELECT count(*) FROM skein_schema_migrations").collect()
            #expect(try rows.first?.decode(Int.self) ?? 0 >= 1)
        }
    }

    @Test func teardownDropsTheDatabase() async throws {
        let db = try await TestDatabase.fresh()
        let name = db.name
        await db.teardown()
        try await TestDatabase.with { other in
            let rows = try await other.client.query("SELECT count(*) FROM pg_database WHERE datname = \(name)").collect()
            #expect(try rows.first?.decode(Int.self) == 0)
        }
    }
}
