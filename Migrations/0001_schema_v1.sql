-- Schema v1: dictionaries, time-partitioned spans and per-batch trace summaries.
-- See docs/storage.md for the reasons behind each choice.
-- Partitions (spans_YYYYMMDD, trace_parts_YYYYMMDD) are created by the server, not here.

CREATE TABLE services (
    id   serial PRIMARY KEY,
    name text   NOT NULL UNIQUE
);

CREATE TABLE operations (
    id         serial   PRIMARY KEY,
    service_id int      NOT NULL REFERENCES services (id),
    name       text     NOT NULL,
    span_kind  smallint NOT NULL,
    UNIQUE (service_id, name, span_kind)
);

CREATE INDEX operations_name ON operations (name);

-- One row per distinct resource; `hash` is SHA-256 of the canonical encoding (attributes sorted by
-- key, dropped count, schema URL) so identical resources are stored once.
CREATE TABLE resources (
    id                       bigserial PRIMARY KEY,
    hash                     bytea     NOT NULL UNIQUE,
    attributes               jsonb     NOT NULL,
    dropped_attributes_count int       NOT NULL DEFAULT 0,
    schema_url               text      NOT NULL DEFAULT ''
);

CREATE TABLE scopes (
    id                       bigserial PRIMARY KEY,
    hash                     bytea     NOT NULL UNIQUE,
    name                     text      NOT NULL,
    version                  text      NOT NULL,
    attributes               jsonb     NOT NULL,
    dropped_attributes_count int       NOT NULL DEFAULT 0,
    schema_url               text      NOT NULL DEFAULT ''
);

-- Attribute keys seen recently, for autocomplete and typed search.
-- source: 0 span, 1 resource, 2 event. value_type: see StoredAttributes.swift (AttributeValue case).
CREATE TABLE attribute_keys (
    key        text        NOT NULL,
    source     smallint    NOT NULL,
    value_type smallint    NOT NULL,
    last_seen  timestamptz NOT NULL,
    PRIMARY KEY (key, source)
);

-- Spans, one partition per UTC day of start_ns (Unix nanoseconds).
CREATE TABLE spans (
    trace_id                 bytea    NOT NULL,
    span_id                  bytea    NOT NULL,
    parent_span_id           bytea,
    start_ns                 bigint   NOT NULL,
    -- end minus start, signed (a span that ends before it starts keeps its end time exactly).
    duration_ns              bigint   NOT NULL,
    service_id               int      NOT NULL,
    operation_id             int      NOT NULL,
    resource_id              bigint   NOT NULL,
    scope_id                 bigint   NOT NULL,
    kind                     smallint NOT NULL,
    status_code              smallint NOT NULL,
    status_message           text,
    trace_state              text,
    flags                    bigint   NOT NULL,
    http_route               text,
    http_status_code         int,
    db_system                text,
    peer_service             text,
    is_error                 boolean  NOT NULL,
    attributes               jsonb    NOT NULL,
    events                   jsonb,
    links                    jsonb,
    dropped_attributes_count int,
    dropped_events_count     int,
    dropped_links_count      int,
    PRIMARY KEY (trace_id, span_id, start_ns)
) PARTITION BY RANGE (start_ns);

-- The primary key (trace_id, span_id, start_ns) also serves lookups by trace_id alone.
CREATE INDEX spans_service_start ON spans (service_id, start_ns DESC);
CREATE INDEX spans_service_operation_start ON spans (service_id, operation_id, start_ns DESC);
CREATE INDEX spans_errors ON spans (service_id, start_ns DESC) WHERE is_error;
CREATE INDEX spans_attributes ON spans USING gin (attributes jsonb_path_ops);

-- Append-only trace summary parts: one row per trace per written batch (only spans that were
-- actually inserted count). A trace summary is GROUP BY trace_id over its parts.
CREATE TABLE trace_parts (
    trace_id            bytea  NOT NULL,
    start_ns            bigint NOT NULL,
    end_ns              bigint NOT NULL,
    span_count          int    NOT NULL,
    error_count         int    NOT NULL,
    root_service_id     int,
    root_operation_id   int,
    -- parallel arrays: services touched by the part and their span counts
    service_ids         int[]  NOT NULL,
    service_span_counts int[]  NOT NULL
) PARTITION BY RANGE (start_ns);

CREATE INDEX trace_parts_trace ON trace_parts (trace_id);

-- The text a `key=value` search compares against, matching AttributeValue.text for scalars:
-- strings unquoted, numbers and bools as written, `{"$d": ...}` doubles as their text,
-- `{"$b": base64}` bytes as hex, null (empty) as ''. Arrays and kvlists compare as their JSON text.
CREATE FUNCTION skein_attribute_text(value jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(value)
        WHEN 'string' THEN value #>> '{}'
        WHEN 'number' THEN value #>> '{}'
        WHEN 'boolean' THEN value #>> '{}'
        WHEN 'null' THEN ''
        WHEN 'object' THEN CASE
            WHEN value ? '$d' THEN value ->> '$d'
            WHEN value ? '$b' THEN encode(decode(value ->> '$b', 'base64'), 'hex')
            ELSE value::text END
        ELSE value::text
    END
$$;
