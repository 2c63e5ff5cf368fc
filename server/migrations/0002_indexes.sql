-- Every public path answers from indexes (docs/architecture.md#indexes-which-serve-which-path). The email domains and
-- the personal-login clients a connection claims get tables of their own, kept in
-- step with the connection's JSON in the same transaction. The connection's kind
-- (database, social, enterprise: fixed by its strategy) becomes a column so that
-- "visible" is a join, not a JSON parse. Existing rows are filled in by the server
-- right after this migration (store::Db::migrate). No semicolons in comments: the
-- migration runner splits statements on them.
CREATE TABLE connection_domains (
    domain        TEXT NOT NULL,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    PRIMARY KEY (domain, connection_id)
);
CREATE INDEX connection_domains_by_connection ON connection_domains (connection_id);
CREATE TABLE connection_clients (
    client_id     TEXT NOT NULL,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, connection_id)
);
CREATE INDEX connection_clients_by_connection ON connection_clients (connection_id);
ALTER TABLE connections ADD COLUMN kind TEXT NOT NULL DEFAULT 'enterprise';
CREATE INDEX clients_by_creation ON clients (created_at, client_id)
