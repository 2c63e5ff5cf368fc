//! Connections, and the two indexes kept in step with their JSON in the same
//! transaction: `connection_domains` (the email domains of `options.domain_aliases`,
//! for discovery) and `connection_clients` (`enabled_clients`, for personal login).
//! Every public read here is one indexed query, whatever the directory's size.

use portico_rules::context::{ConnectionKind, DiscoveredOrganization};
use portico_rules::directory::MAX_PERSONAL_CONNECTIONS;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::{
    decode_all, json_text, new_id, now, on_unique, parse_json, patch, Conflict, Db, StoreResult,
};
use crate::records::{domain_aliases, Connection, ConnectionInput};

pub(super) const CONN_COLUMNS: &str =
    "id, name, display_name, strategy, options, enabled_clients, is_domain_connection, show_as_button AS connection_show_as_button";

/// How many organizations discovery lists at most for one email domain.
pub const MAX_DISCOVERED: i64 = 50;

/// Discovery: `$1` the domain, `$2` the enterprise kind, `$3` the limit.
pub(super) const DISCOVERY_SQL: &str =
    "SELECT DISTINCT o.name, o.display_name FROM connection_domains d \
     JOIN organization_connections oc ON oc.connection_id = d.connection_id \
     JOIN organizations o ON o.id = oc.organization_id \
     WHERE d.domain = $1 AND EXISTS (\
       SELECT 1 FROM organization_connections v JOIN connections c ON c.id = v.connection_id \
       WHERE v.organization_id = o.id AND (v.show_as_button <> 0 OR c.kind <> $2)) \
     ORDER BY o.name LIMIT $3";

/// Personal login: `$1` the client id, `$2` the enterprise kind, `$3` the limit. What
/// the personal login shows: database and social connections, enterprise ones only
/// with their own `show_as_button`.
pub(super) const CLIENT_CONNECTIONS_SQL: &str = "SELECT c.id, c.name, c.display_name, c.strategy, c.options, c.enabled_clients, c.is_domain_connection, c.show_as_button AS connection_show_as_button FROM connection_clients cc JOIN connections c ON c.id = cc.connection_id WHERE cc.client_id = $1 AND (c.kind <> $2 OR c.show_as_button <> 0) ORDER BY c.name LIMIT $3";

pub(super) fn connection_from_row(row: &AnyRow) -> Result<Connection, sqlx::Error> {
    let name: String = row.try_get("name")?;
    Ok(Connection {
        id: row.try_get("id")?,
        display_name: row.try_get("display_name")?,
        strategy: row.try_get("strategy")?,
        options: parse_json(row.try_get("options")?).unwrap_or_default(),
        enabled_clients: parse_json(row.try_get("enabled_clients")?).unwrap_or_default(),
        is_domain_connection: row.try_get::<i64, _>("is_domain_connection")? != 0,
        // Named apart from an enabled connection's own, which VISIBLE_SQL reads too.
        show_as_button: row.try_get::<i64, _>("connection_show_as_button")? != 0,
        realms: vec![name.clone()],
        name,
    })
}

/// Rewrites the index rows of one connection from its record.
pub(super) async fn index_connection(
    tx: &mut Transaction<'_, Any>,
    conn: &Connection,
) -> Result<(), sqlx::Error> {
    for table in ["connection_domains", "connection_clients"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE connection_id = $1"))
            .bind(&conn.id)
            .execute(&mut **tx)
            .await?;
    }
    let mut domains: Vec<&str> = domain_aliases(&conn.options).collect();
    domains.sort_unstable();
    domains.dedup();
    for domain in domains {
        sqlx::query("INSERT INTO connection_domains (domain, connection_id) VALUES ($1, $2)")
            .bind(domain)
            .bind(&conn.id)
            .execute(&mut **tx)
            .await?;
    }
    let mut clients: Vec<&str> = conn.enabled_clients.iter().map(String::as_str).collect();
    clients.sort_unstable();
    clients.dedup();
    for client in clients {
        sqlx::query("INSERT INTO connection_clients (client_id, connection_id) VALUES ($1, $2)")
            .bind(client)
            .bind(&conn.id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Migration 2: the indexes and kinds of the connections that existed before it (in
/// that migration's columns: `show_as_button` comes with migration 3).
pub(super) async fn fill_indexes(tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
    let rows = sqlx::query("SELECT id, name, display_name, strategy, options, enabled_clients, is_domain_connection, CAST(0 AS BIGINT) AS connection_show_as_button FROM connections")
        .fetch_all(&mut **tx)
        .await?;
    for row in rows {
        let conn = connection_from_row(&row)?;
        sqlx::query("UPDATE connections SET kind = $1 WHERE id = $2")
            .bind(conn.kind().as_str())
            .bind(&conn.id)
            .execute(&mut **tx)
            .await?;
        index_connection(tx, &conn).await?;
    }
    Ok(())
}

impl Db {
    pub async fn create_connection(&self, input: ConnectionInput) -> StoreResult<Connection> {
        let conn = Connection::from_input(new_id("con_"), input);
        let mut tx = self.pool.begin().await?;
        on_unique(
            sqlx::query("INSERT INTO connections (id, name, display_name, strategy, options, enabled_clients, is_domain_connection, created_at, kind, show_as_button) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(&conn.id)
                .bind(&conn.name)
                .bind(&conn.display_name)
                .bind(&conn.strategy)
                .bind(json_text(&conn.options))
                .bind(json_text(&conn.enabled_clients))
                .bind(conn.is_domain_connection as i64)
                .bind(now())
                .bind(conn.kind().as_str())
                .bind(conn.show_as_button as i64)
                .execute(&mut *tx)
                .await,
            Conflict::ConnectionName,
        )?;
        index_connection(&mut tx, &conn).await?;
        tx.commit().await?;
        Ok(conn)
    }

    async fn connection_where(&self, column: &str, value: &str) -> StoreResult<Option<Connection>> {
        let sql = format!("SELECT {CONN_COLUMNS} FROM connections WHERE {column} = $1");
        let row = sqlx::query(&sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| connection_from_row(&r)).transpose()?)
    }

    pub async fn connection(&self, id: &str) -> StoreResult<Option<Connection>> {
        self.connection_where("id", id).await
    }

    pub async fn connection_by_name(&self, name: &str) -> StoreResult<Option<Connection>> {
        self.connection_where("name", name).await
    }

    pub async fn connections(&self, offset: i64, limit: i64) -> StoreResult<Vec<Connection>> {
        let sql =
            format!("SELECT {CONN_COLUMNS} FROM connections ORDER BY name LIMIT $1 OFFSET $2");
        let rows = sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        decode_all(&rows, connection_from_row)
    }

    /// Up to `limit` connections with ids after `from`, in id order (checkpoints).
    pub async fn connections_after(&self, from: &str, limit: i64) -> StoreResult<Vec<Connection>> {
        let sql =
            format!("SELECT {CONN_COLUMNS} FROM connections WHERE id > $1 ORDER BY id LIMIT $2");
        let rows = sqlx::query(&sql)
            .bind(from)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        decode_all(&rows, connection_from_row)
    }

    pub async fn update_connection(
        &self,
        id: &str,
        input: ConnectionInput,
    ) -> StoreResult<Option<Connection>> {
        let mut tx = self.pool.begin().await?;
        let sql = format!("SELECT {CONN_COLUMNS} FROM connections WHERE id = $1");
        let Some(row) = sqlx::query(&sql).bind(id).fetch_optional(&mut *tx).await? else {
            return Ok(None);
        };
        let mut conn = connection_from_row(&row)?;
        patch(&mut conn.display_name, input.display_name);
        patch(&mut conn.options, input.options);
        patch(&mut conn.enabled_clients, input.enabled_clients);
        patch(&mut conn.is_domain_connection, input.is_domain_connection);
        patch(&mut conn.show_as_button, input.show_as_button);
        sqlx::query("UPDATE connections SET display_name = $1, options = $2, enabled_clients = $3, is_domain_connection = $4, show_as_button = $5 WHERE id = $6")
            .bind(&conn.display_name)
            .bind(json_text(&conn.options))
            .bind(json_text(&conn.enabled_clients))
            .bind(conn.is_domain_connection as i64)
            .bind(conn.show_as_button as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        index_connection(&mut tx, &conn).await?;
        tx.commit().await?;
        Ok(Some(conn))
    }

    pub async fn delete_connection(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM connections WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The connections a client may use outside an organization (`enabled_clients`),
    /// by the `connection_clients` index.
    pub async fn client_connections(&self, client_id: &str) -> StoreResult<Vec<Connection>> {
        let rows = sqlx::query(CLIENT_CONNECTIONS_SQL)
            .bind(client_id)
            .bind(ConnectionKind::Enterprise.as_str())
            .bind(MAX_PERSONAL_CONNECTIONS as i64)
            .fetch_all(&self.pool)
            .await?;
        decode_all(&rows, connection_from_row)
    }

    /// Home-realm discovery: the organizations that have a connection claiming
    /// `domain` and at least one connection a user could log in with (as the login
    /// context counts them), by name. One query on the `connection_domains` index.
    pub async fn organizations_for_domain(
        &self,
        domain: &str,
    ) -> StoreResult<Vec<DiscoveredOrganization>> {
        let rows = sqlx::query(DISCOVERY_SQL)
            .bind(domain)
            .bind(ConnectionKind::Enterprise.as_str())
            .bind(MAX_DISCOVERED)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(DiscoveredOrganization {
                    name: r.try_get("name")?,
                    display_name: r.try_get("display_name")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }
}
