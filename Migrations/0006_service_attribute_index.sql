-- The attribute index is used by every attribute search since issue 4 (a containment test per
-- candidate value; see docs/storage.md, "Indexes and how searches use them").
--
-- It leads with service_id (btree_gin gives GIN an operator class for int4): a search names a
-- service, and a value that is common in other services but absent from the searched one (say
-- http.response.status_code 503 for frontend) then costs the index entries of that service
-- only. With attributes alone, GIN returned every span holding the value (20,890 rows in one
-- slice on 10 M spans) and each was read from the heap only to find its service was another:
-- 2.9 s cold for one slice. GIN also answers conditions on a subset of its columns, so searches
-- without a service still use it.
--
-- GIN keeps new entries in a pending list until it holds gin_pending_list_limit (default 4 MB),
-- and every index scan reads the whole list: ~440 pages, 3-30 ms per scan measured on 2 M spans,
-- and a search in time slices makes dozens of scans. With 256 kB the scans stay under a
-- millisecond; inserts flush the list more often, in smaller batches.
--
-- btree_gin ships with PostgreSQL (contrib) and is a trusted extension: a database owner may
-- create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS btree_gin;
DROP INDEX spans_attributes;
CREATE INDEX spans_service_attributes ON spans USING gin (service_id, attributes jsonb_path_ops)
    WITH (gin_pending_list_limit = 256);
