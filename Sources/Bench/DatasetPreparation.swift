import Foundation
import Logging
import Storage

/// Makes sure a data folder holds the dataset asked for: reuses it when `--reuse` is given and
/// the folder's marker names the same parameters, and otherwise migrates and loads it (refusing a
/// folder that already holds a different dataset, so a run never measures a mixture).
public struct DatasetPreparation: Sendable {
    public var dataDirectory: String
    public var migrationsDirectory: String
    public var reuse: Bool

    public init(dataDirectory: String, migrationsDirectory: String, reuse: Bool) {
        self.dataDirectory = dataDirectory
        self.migrationsDirectory = migrationsDirectory
        self.reuse = reuse
    }

    /// What preparation found or did.
    public struct Outcome: Sendable {
        /// The dataset in the folder (a reused one keeps the end time it was loaded with).
        public var parameters: DatasetParameters
        /// Nil when the dataset was reused.
        public var load: DatasetLoader.Outcome?
        /// The rollup job's catch-up after loading (or on a reused dataset, what was left to do).
        public var rollupCatchUp: RollupCatchUp
    }

    /// How long the per-minute rollups took to catch up with the dataset, and how many minutes.
    public struct RollupCatchUp: Sendable {
        public var minutes: Int
        public var seconds: Double
    }

    /// Prepares the dataset; `database` is the open database (the caller closes it).
    public func prepare(_ wanted: DatasetParameters, database: Database, logger: Logger) async throws -> Outcome {
        let marker = DatasetMarker(dataDirectory: dataDirectory)
        if let stored = marker.read() {
            guard reuse, wanted.matches(stored) else {
                throw DatasetPreparationError.holdsAnotherDataset(dataDirectory: dataDirectory, stored: stored, reuse: reuse)
            }
            logger.info("reusing the dataset already loaded", metadata: ["spans": "\(stored.spans)", "seed": "\(stored.seed)"])
            // A dataset loaded by an older build gets the newer schema (and its rollup backfill) here,
            // not in the measured server.
            _ = try await database.migrate(directory: migrationsDirectory)
            return Outcome(parameters: stored, load: nil, rollupCatchUp: try await Self.catchUpRollups(database, logger: logger))
        }
        _ = try await database.migrate(directory: migrationsDirectory)
        logger.info("loading the benchmark dataset", metadata: ["spans": "\(wanted.spans)", "hours": "\(wanted.hours)"])
        let load = try await DatasetLoader(parameters: wanted).load(into: database.traceStore, logger: logger)
        try marker.write(wanted)
        return Outcome(parameters: wanted, load: load, rollupCatchUp: try await Self.catchUpRollups(database, logger: logger))
    }

    /// Rolls up every dirty minute that is past the grace period, as the server's rollup job would
    /// over its first rounds, so the query benchmark measures rolled-up dashboards. (The youngest
    /// minutes of the dataset stay dirty and are answered live, as on a live server.)
    static func catchUpRollups(_ database: Database, logger: Logger) async throws -> RollupCatchUp {
        let started = ContinuousClock.now
        let minutes = try await database.traceStore.rollUpAllDirtyMinutes()
        let seconds = (ContinuousClock.now - started).seconds
        logger.info("rollups caught up", metadata: ["minutes": "\(minutes)", "seconds": "\(seconds)"])
        return RollupCatchUp(minutes: minutes, seconds: seconds)
    }
}

/// Why a data folder cannot be used for the dataset asked for.
public enum DatasetPreparationError: Error, CustomStringConvertible {
    case holdsAnotherDataset(dataDirectory: String, stored: DatasetParameters, reuse: Bool)

    public var description: String {
        switch self {
        case let .holdsAnotherDataset(folder, stored, reuse):
            let held = "\(stored.spans) spans over \(stored.hours) h, seed \(stored.seed)"
            return reuse
                ? "\(folder) holds another dataset (\(held)); pass the same --spans/--hours/--seed or use another --data-dir"
                : "\(folder) already holds a dataset (\(held)); pass --reuse to measure it again, or use an empty --data-dir"
        }
    }
}
