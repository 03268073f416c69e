-- Per-minute rollups for the service page and /api/dependencies (see docs/storage.md, "Rollups").
-- A minute is a whole number of minutes since the Unix epoch: floor(start_ns / 60e9).

-- Span and error counts per service and minute (spans started in the minute).
CREATE TABLE rollup_service_minutes (
    minute      bigint NOT NULL,
    service_id  int    NOT NULL,
    span_count  bigint NOT NULL,
    error_count bigint NOT NULL,
    PRIMARY KEY (minute, service_id)
);

-- Calls parent service -> child service per minute of the CHILD span's start (the parent is the
-- span of the same trace whose id is the child's parent id, started within an hour of the child).
CREATE TABLE rollup_edge_minutes (
    minute            bigint NOT NULL,
    parent_service_id int    NOT NULL,
    child_service_id  int    NOT NULL,
    call_count        bigint NOT NULL,
    PRIMARY KEY (minute, parent_service_id, child_service_id)
);

-- Minutes whose rollup rows are complete (a minute with no spans has no rows but is listed here).
CREATE TABLE rollup_minutes (
    minute       bigint      PRIMARY KEY,
    rolled_up_at timestamptz NOT NULL DEFAULT now()
);

-- Minutes written to since they were last rolled up: writers mark them in their batch
-- transaction, the rollup job takes the marks (DELETE ... RETURNING) and recomputes the minutes.
-- A minute listed here is answered live from spans, whatever rollup_minutes says.
CREATE TABLE rollup_dirty_minutes (
    minute    bigint      PRIMARY KEY,
    marked_at timestamptz NOT NULL DEFAULT now()
);

-- Spans stored before this migration: mark the minutes they may touch, so the job rolls them up.
-- A trace part covers its spans' starts (start_ns <= every start <= end_ns); parts longer than an
-- hour mark only their first hour. A minute left unmarked is simply never "rolled up" and is
-- answered live, so this can only make answers faster, never different.
INSERT INTO rollup_dirty_minutes (minute)
SELECT DISTINCT m
FROM trace_parts,
     generate_series(start_ns / 60000000000, least(end_ns, start_ns + 3600000000000) / 60000000000) AS m
WHERE start_ns >= 0 AND end_ns >= start_ns AND start_ns < 9000000000000000000
ON CONFLICT DO NOTHING;
