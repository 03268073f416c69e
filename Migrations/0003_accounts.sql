-- Accounts: users, roles with service scopes, sessions, API tokens, first-admin setup tokens and
-- the append-only audit log. Secrets are never stored, only their SHA-256 (sessions, tokens) or
-- bcrypt (passwords). See docs/storage.md, "Accounts and audit".

-- permissions: Permission raw values. service_patterns: NULL = every service, else name patterns
-- (`*` wildcard), see ServiceScope.
CREATE TABLE roles (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL,
    permissions      text[]      NOT NULL,
    service_patterns text[],
    is_built_in      boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX roles_name ON roles (lower(name));

CREATE TABLE users (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL,
    display_name   text        NOT NULL,
    password_hash  text        NOT NULL,
    is_disabled    boolean     NOT NULL DEFAULT false,
    -- base32 TOTP secret when two-step sign-in is on; the last accepted step refuses replays.
    totp_secret    text,
    totp_last_step bigint,
    created_at     timestamptz NOT NULL
);

-- Sign-in names are unique without regard to case.
CREATE UNIQUE INDEX users_name ON users (lower(name));

CREATE TABLE user_roles (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);

CREATE INDEX user_roles_role ON user_roles (role_id);

-- id_hash: SHA-256 of the session cookie's secret.
CREATE TABLE sessions (
    id_hash      bytea       PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id               uuid        PRIMARY KEY,
    secret_hash      bytea       NOT NULL UNIQUE,
    name             text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('ingest', 'read')),
    owner_user_id    uuid        NOT NULL REFERENCES users (id),
    service_patterns text[],
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz,
    last_used_at     timestamptz,
    revoked_at       timestamptz
);

CREATE INDEX api_tokens_owner ON api_tokens (owner_user_id, created_at);

-- One-time links for creating the first admin; a row is deleted when it is used.
CREATE TABLE setup_tokens (
    secret_hash bytea       PRIMARY KEY,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- The audit log. Text fields arrive sanitised (AuditText): one line each, capped.
-- actor_user_id has no foreign key on purpose: entries outlive what they name.
CREATE TABLE audit_log (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    actor_user_id  uuid,
    actor_name     text        NOT NULL,
    action         text        NOT NULL,
    target         text,
    before_text    text,
    after_text     text,
    client_address text
);

-- Pages are read newest first by id (the primary key); these serve the filters.
CREATE INDEX audit_log_time ON audit_log (occurred_at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id DESC);
CREATE INDEX audit_log_action ON audit_log (action, id DESC);

-- Append-only for real. Skein's own database role owns the table in the embedded setup, and an
-- owner keeps every privilege whatever is revoked, so these triggers are what refuse changes:
-- a statement trigger (fires even when no row matches) for UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION skein_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit entries can only be added (INSERT).';
END
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION skein_audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION skein_audit_log_append_only();

-- For any other role that is given access: it may read and append, never change.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
