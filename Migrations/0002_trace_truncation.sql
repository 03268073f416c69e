-- Per-trace span limit: how many spans of a trace were left out because the trace was full.
-- A write that leaves spans out appends a trace_parts row for that trace with span_count 0 and
-- dropped_span_count N (its start_ns and end_ns are the trace's earliest stored start, so the part
-- never widens the trace's time bounds). A trace is truncated when its parts sum to more than 0.
-- See docs/storage.md, "Per-trace span limit".
ALTER TABLE trace_parts ADD COLUMN dropped_span_count int NOT NULL DEFAULT 0;
