-- One schema for SQLite and PostgreSQL: TEXT and BIGINT only, JSON kept as TEXT.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE organizations (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    display_name TEXT,
    branding     TEXT,
    metadata     TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE TABLE connections (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    strategy             TEXT NOT NULL,
    options              TEXT NOT NULL,
    enabled_clients      TEXT NOT NULL,
    is_domain_connection BIGINT NOT NULL,
    created_at           BIGINT NOT NULL
);
CREATE TABLE organization_connections (
    organization_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    connection_id              TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    assign_membership_on_login BIGINT NOT NULL,
    show_as_button             BIGINT NOT NULL,
    is_signup_enabled          BIGINT NOT NULL,
    created_at                 BIGINT NOT NULL,
    PRIMARY KEY (organization_id, connection_id)
);
CREATE INDEX organization_connections_by_connection ON organization_connections (connection_id);
CREATE TABLE clients (
    client_id  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
)
