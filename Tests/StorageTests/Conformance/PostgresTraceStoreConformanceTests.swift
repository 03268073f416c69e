import Storage
import TraceModel
import XCTest

/// The storage contract checks against PostgreSQL (a fresh, migrated database per test).
///
/// Every store's class lists the same one-line tests on purpose: on Linux, XCTest discovery does
/// not run test methods a class inherits (swift-package-manager issue 5573), so a shared base class
/// would silently run nothing. The checks themselves live once, in `TraceStoreConformance`.
final class PostgresTraceStoreConformanceTests: XCTestCase {
    private func run(_ check: (any TraceWriter & TraceReader) async throws -> Void) async throws {
        try await TestDatabase.with(migrated: true) { database in
            try await check(PostgresTraceStore(client: database.client, logger: database.logger))
        }
    }

    func testEveryFieldAndValueTypeRoundTrips() async throws { try await run(TraceStoreConformance.everyFieldAndValueTypeRoundTrips) }

    func testServicesAndOperationsAreListedWithTheirKinds() async throws { try await run(TraceStoreConformance.servicesAndOperationsAreListedWithTheirKinds) }

    func testTraceByIDComesBackOrderedByStart() async throws { try await run(TraceStoreConformance.traceByIDComesBackOrderedByStart) }

    func testSeveralTracesAreReadAtOnceAsEachAloneWouldBe() async throws { try await run(TraceStoreConformance.severalTracesAreReadAtOnceAsEachAloneWouldBe) }

    func testATenThousandSpanTraceIsStoredWhole() async throws { try await run(TraceStoreConformance.aTenThousandSpanTraceIsStoredWhole) }

    func testWritingTheSameSpansAgainDoesNotDuplicateThem() async throws { try await run(TraceStoreConformance.writingTheSameSpansAgainDoesNotDuplicateThem) }

    func testSearchFindsTracesByEveryCondition() async throws { try await run(TraceStoreConformance.searchFindsTracesByEveryCondition) }

    func testATraceWithoutItsRootHasNoRootInItsSummary() async throws { try await run(TraceStoreConformance.aTraceWithoutItsRootHasNoRootInItsSummary) }

    func testDependenciesCountCallsBetweenDifferentServices() async throws { try await run(TraceStoreConformance.dependenciesCountCallsBetweenDifferentServices) }

    func testDependenciesCountChildrenInTheWindowWithParentsWithinAnHour() async throws { try await run(TraceStoreConformance.dependenciesCountChildrenInTheWindowWithParentsWithinAnHour) }

    func testServiceActivityCountsSpansAndErrorsBusiestFirst() async throws { try await run(TraceStoreConformance.serviceActivityCountsSpansAndErrorsBusiestFirst) }

    func testSpansFromYearsAgoAndFromTomorrowAreStoredAndReadBack() async throws { try await run(TraceStoreConformance.spansFromYearsAgoAndFromTomorrowAreStoredAndReadBack) }

    func testSqlLookingValuesAreJustData() async throws { try await run(TraceStoreConformance.sqlLookingValuesAreJustData) }

    func testTheTraceSpanLimitHoldsAcrossWritesAndReadersSeeTheTruncation() async throws { try await run(TraceStoreConformance.theTraceSpanLimitHoldsAcrossWritesAndReadersSeeTheTruncation) }

    func testRetriedSpansOfAFullTraceAreNotCountedAsDroppedAgain() async throws { try await run(TraceStoreConformance.retriedSpansOfAFullTraceAreNotCountedAsDroppedAgain) }
}
