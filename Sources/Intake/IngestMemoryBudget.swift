import Synchronization

/// The memory every in-flight ingest request may hold together. A request reserves its share
/// before its body is read and keeps it until its answer is sent; when the budget is spent, new
/// requests are refused (429 / RESOURCE_EXHAUSTED) instead of growing the heap.
public final class IngestMemoryBudget: Sendable {
    /// Bytes of decoded spans (and the raw body) held per byte of request body, estimated.
    public static let expansionFactor = 5

    public let capacityBytes: Int
    private let reserved = Mutex(0)

    public init(capacityBytes: Int) {
        self.capacityBytes = max(0, capacityBytes)
    }

    /// Bytes currently reserved by requests in flight.
    public var reservedBytes: Int { reserved.withLock { $0 } }

    /// Reserves `bytes`, or returns nil when that would pass the capacity. A request is always
    /// admitted when nothing else is in flight, so a body at the size limit can never be refused
    /// forever by a small budget.
    public func reserve(bytes: Int) -> IngestReservation? {
        let amount = max(0, bytes)
        let granted = reserved.withLock { current -> Bool in
            guard current == 0 || current + amount <= capacityBytes else { return false }
            current += amount
            return true
        }
        return granted ? IngestReservation(budget: self, bytes: amount) : nil
    }

    fileprivate func giveBack(_ bytes: Int) {
        reserved.withLock { $0 -= bytes }
    }
}

/// One request's share of the `IngestMemoryBudget`, returned by `release()` (or when dropped).
public final class IngestReservation: Sendable {
    private let budget: IngestMemoryBudget
    private let bytes: Mutex<Int>

    fileprivate init(budget: IngestMemoryBudget, bytes: Int) {
        self.budget = budget
        self.bytes = Mutex(bytes)
    }

    /// Returns the reserved bytes to the budget; later calls do nothing.
    public func release() {
        let amount = bytes.withLock { held -> Int in
            defer { held = 0 }
            return held
        }
        if amount > 0 { budget.giveBack(amount) }
    }

    deinit { release() }
}
