-- The attribute index is used by every attribute search since issue 4 (a containment test per
-- candidate value; see docs/storage.md, "Indexes and how searches use them"). GIN keeps new
-- entries in a pending list until it holds gin_pending_list_limit (default 4 MB), and every index
-- scan reads the whole list: ~440 pages, 3-30 ms per scan measured on 2 M spans, and a search in
-- time slices makes dozens of scans. With 256 kB the scans stay under a millisecond; inserts flush
-- the list more often, in smaller batches. A partitioned index cannot change its options in place,
-- so it is rebuilt (~18 s per 2 M spans).
DROP INDEX spans_attributes;
CREATE INDEX spans_attributes ON spans USING gin (attributes jsonb_path_ops) WITH (gin_pending_list_limit = 256);
