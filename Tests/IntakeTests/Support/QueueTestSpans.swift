import TraceModel

/// Spans with ids unique across a test, for queue tests.
enum QueueTestSpans {
    static let start: UInt64 = 1_763_700_000_000_000_000

    /// `count` spans of trace `trace`, span ids `first ..< first + count`.
    static func make(_ count: Int, trace: UInt64 = 1, first: UInt64 = 1) -> [Span] {
        (0..<UInt64(count)).map { offset in
            Span(
                traceID: TraceID(high: 0, low: trace), spanID: SpanID(first + offset), name: "op",
                startTimeUnixNano: start + offset, endTimeUnixNano: start + offset + 1_000,
                resource: Resource(attributes: [Attribute("service.name", .string("queue-test"))]))
        }
    }
}

/// Waits (polling) until `condition` holds, for at most `limit`; returns whether it held.
/// The limit only keeps a broken test from hanging: tests assert on the condition, never on time.
/// It is generous because the whole parallel suite shares two cores: while dozens of suites start
/// their databases at once, a queue test can wait 20 s for a thread (seen in a full CI run).
func eventually(within limit: Duration = .seconds(120), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
