//! The organization directory's storage: one `AnyPool` over SQLite (default) or
//! PostgreSQL, the same SQL for both, migrations at start. Every write that touches
//! more than one row runs in one transaction, so a failed request changes nothing.
//! Unique-key violations are mapped to the API's conflict errors here, in one place.

use std::str::FromStr;
use std::time::Duration;

use portico_rules::context::Branding;
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{Map, Value};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

use crate::error::{ApiError, ApiResult};
use crate::model::{
    check_signup, Client, ClientInput, Connection, ConnectionInput, ConnectionSummary,
    EnabledConnection, EnabledConnectionInput, Organization, OrganizationInput,
    MAX_ENABLED_CONNECTIONS,
};

const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/0001_directory.sql"))];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    pub backend: Backend,
}

/// `sqlite:` URLs get `mode=rwc` so the file is created on first use.
fn normalize_url(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_owned()
    }
}

pub fn new_id(prefix: &str) -> String {
    format!(
        "{prefix}{}",
        Alphanumeric.sample_string(&mut rand::rng(), 16)
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Sets `field` when the update carries a value for it (PATCH semantics).
fn patch<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

fn json_text(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn parse_json<T: serde::de::DeserializeOwned>(s: Option<String>) -> Option<T> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let url = normalize_url(url);
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .acquire_timeout(Duration::from_secs(3))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Durability first: an acknowledged write survives a crash.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 5000",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, backend })
    }

    /// Applies the migrations not yet applied, each in its own transaction.
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        sqlx::query("CREATE TABLE IF NOT EXISTS portico_migrations (version BIGINT PRIMARY KEY)")
            .execute(&self.pool)
            .await?;
        for (version, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM portico_migrations WHERE version = $1")
                    .bind(*version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_some() {
                continue;
            }
            for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO portico_migrations (version) VALUES ($1)")
                .bind(*version)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Runs one statement as it is (administration: tests create databases with it).
    pub async fn execute_raw(&self, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql).execute(&self.pool).await.map(|_| ())
    }

    pub async fn ping(&self) -> ApiResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The value of setting `key`, created with `init()` the first time. Concurrent
    /// first calls agree on one value.
    pub async fn setting_or_init(
        &self,
        key: &str,
        init: impl FnOnce() -> String,
    ) -> Result<String, sqlx::Error> {
        let insert = match self.backend {
            Backend::Sqlite => "INSERT OR IGNORE INTO settings (key, value) VALUES ($1, $2)",
            Backend::Postgres => {
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
            }
        };
        sqlx::query(insert)
            .bind(key)
            .bind(init())
            .execute(&self.pool)
            .await?;
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await
    }

    // ---- organizations -------------------------------------------------------------

    fn organization_from_row(row: &AnyRow) -> Result<Organization, sqlx::Error> {
        Ok(Organization {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            display_name: row.try_get("display_name")?,
            branding: parse_json::<Branding>(row.try_get("branding")?),
            metadata: parse_json::<Map<String, Value>>(row.try_get("metadata")?),
        })
    }

    const ORG_COLUMNS: &'static str = "id, name, display_name, branding, metadata";

    pub async fn create_organization(
        &self,
        input: OrganizationInput,
    ) -> ApiResult<(Organization, Vec<EnabledConnection>)> {
        let org = Organization {
            id: new_id("org_"),
            name: input.name.unwrap_or_default(),
            display_name: input.display_name.flatten(),
            branding: input.branding.flatten(),
            metadata: input.metadata.flatten(),
        };
        let mut tx = self.pool.begin().await?;
        let t = now();
        let inserted = sqlx::query(
            "INSERT INTO organizations (id, name, display_name, branding, metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&org.id)
        .bind(&org.name)
        .bind(&org.display_name)
        .bind(org.branding.as_ref().map(json_text))
        .bind(org.metadata.as_ref().map(json_text))
        .bind(t)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(ApiError::OrganizationConflict),
            other => {
                other?;
            }
        }
        let mut enabled = Vec::new();
        for (i, ec) in input.enabled_connections.iter().enumerate() {
            let prefix = format!("enabled_connections[{i}]");
            enabled.push(Self::insert_enabled_connection(&mut tx, &org.id, ec, &prefix).await?);
        }
        tx.commit().await?;
        Ok((org, enabled))
    }

    pub async fn organization(&self, id: &str) -> ApiResult<Option<Organization>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM organizations WHERE id = $1",
            Self::ORG_COLUMNS
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| Self::organization_from_row(&r)).transpose()?)
    }

    pub async fn organization_by_name(&self, name: &str) -> ApiResult<Option<Organization>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM organizations WHERE name = $1",
            Self::ORG_COLUMNS
        ))
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| Self::organization_from_row(&r)).transpose()?)
    }

    /// Organizations ordered by id: `offset`/`limit`, or after the id `from`.
    pub async fn organizations(
        &self,
        offset: i64,
        limit: i64,
        from: Option<&str>,
    ) -> ApiResult<Vec<Organization>> {
        let rows = match from {
            Some(from) => {
                sqlx::query(&format!(
                    "SELECT {} FROM organizations WHERE id > $1 ORDER BY id LIMIT $2",
                    Self::ORG_COLUMNS
                ))
                .bind(from)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {} FROM organizations ORDER BY id LIMIT $1 OFFSET $2",
                    Self::ORG_COLUMNS
                ))
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.pool)
                .await?
            }
        };
        Ok(rows
            .iter()
            .map(Self::organization_from_row)
            .collect::<Result<_, _>>()?)
    }

    pub async fn count(&self, table: Table) -> ApiResult<i64> {
        Ok(
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", table.as_str()))
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn update_organization(
        &self,
        id: &str,
        input: OrganizationInput,
    ) -> ApiResult<Organization> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT {} FROM organizations WHERE id = $1",
            Self::ORG_COLUMNS
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(ApiError::organization_not_found)?;
        let mut org = Self::organization_from_row(&row)?;
        patch(&mut org.name, input.name);
        patch(&mut org.display_name, input.display_name);
        patch(&mut org.branding, input.branding);
        patch(&mut org.metadata, input.metadata);
        let updated = sqlx::query(
            "UPDATE organizations SET name = $1, display_name = $2, branding = $3, metadata = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(&org.name)
        .bind(&org.display_name)
        .bind(org.branding.as_ref().map(json_text))
        .bind(org.metadata.as_ref().map(json_text))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await;
        match updated {
            Err(e) if is_unique_violation(&e) => return Err(ApiError::OrganizationConflict),
            other => {
                other?;
            }
        }
        tx.commit().await?;
        Ok(org)
    }

    pub async fn delete_organization(&self, id: &str) -> ApiResult<bool> {
        let done = sqlx::query("DELETE FROM organizations WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    // ---- enabled connections ---------------------------------------------------------

    async fn insert_enabled_connection(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        org_id: &str,
        ec: &EnabledConnectionInput,
        prefix: &str,
    ) -> ApiResult<EnabledConnection> {
        // Taking the organization's row first serializes concurrent adds, so the limit
        // of 10 holds under concurrency on both backends.
        let touched = sqlx::query("UPDATE organizations SET updated_at = $1 WHERE id = $2")
            .bind(now())
            .bind(org_id)
            .execute(&mut **tx)
            .await?;
        if touched.rows_affected() == 0 {
            return Err(ApiError::organization_not_found());
        }
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM organization_connections WHERE organization_id = $1",
        )
        .bind(org_id)
        .fetch_one(&mut **tx)
        .await?;
        if count as usize >= MAX_ENABLED_CONNECTIONS {
            return Err(crate::body::invalid(
                if prefix.is_empty() {
                    "connection_id"
                } else {
                    prefix
                },
                "An organization can have at most 10 enabled connections",
            ));
        }
        let field = |f: &str| {
            if prefix.is_empty() {
                f.to_owned()
            } else {
                format!("{prefix}.{f}")
            }
        };
        let conn = sqlx::query("SELECT name, strategy FROM connections WHERE id = $1")
            .bind(&ec.connection_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| {
                crate::body::invalid(&field("connection_id"), "No connection found with that id")
            })?;
        let summary = ConnectionSummary {
            name: conn.try_get("name")?,
            strategy: conn.try_get("strategy")?,
        };
        let assign = ec.assign_membership_on_login.unwrap_or(false);
        let show = ec.show_as_button.unwrap_or(true);
        let signup = ec.is_signup_enabled.unwrap_or(false);
        check_signup(prefix, &summary.strategy, assign, signup)?;
        let inserted = sqlx::query(
            "INSERT INTO organization_connections (organization_id, connection_id, assign_membership_on_login, show_as_button, is_signup_enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org_id)
        .bind(&ec.connection_id)
        .bind(assign as i64)
        .bind(show as i64)
        .bind(signup as i64)
        .bind(now())
        .execute(&mut **tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(ApiError::Conflict(
                    "The connection is already enabled for this organization.",
                ))
            }
            other => {
                other?;
            }
        }
        Ok(EnabledConnection {
            connection_id: ec.connection_id.clone(),
            assign_membership_on_login: assign,
            show_as_button: show,
            is_signup_enabled: signup,
            connection: summary,
        })
    }

    pub async fn add_enabled_connection(
        &self,
        org_id: &str,
        ec: EnabledConnectionInput,
    ) -> ApiResult<EnabledConnection> {
        let mut tx = self.pool.begin().await?;
        let out = Self::insert_enabled_connection(&mut tx, org_id, &ec, "").await?;
        tx.commit().await?;
        Ok(out)
    }

    fn enabled_from_row(row: &AnyRow) -> Result<EnabledConnection, sqlx::Error> {
        Ok(EnabledConnection {
            connection_id: row.try_get("connection_id")?,
            assign_membership_on_login: row.try_get::<i64, _>("assign_membership_on_login")? != 0,
            show_as_button: row.try_get::<i64, _>("show_as_button")? != 0,
            is_signup_enabled: row.try_get::<i64, _>("is_signup_enabled")? != 0,
            connection: ConnectionSummary {
                name: row.try_get("name")?,
                strategy: row.try_get("strategy")?,
            },
        })
    }

    const ENABLED_SELECT: &'static str = "SELECT oc.connection_id, oc.assign_membership_on_login, oc.show_as_button, oc.is_signup_enabled, c.name, c.strategy FROM organization_connections oc JOIN connections c ON c.id = oc.connection_id";

    pub async fn enabled_connections(&self, org_id: &str) -> ApiResult<Vec<EnabledConnection>> {
        let rows = sqlx::query(&format!(
            "{} WHERE oc.organization_id = $1 ORDER BY oc.created_at, c.name",
            Self::ENABLED_SELECT
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(Self::enabled_from_row)
            .collect::<Result<_, _>>()?)
    }

    pub async fn enabled_connection(
        &self,
        org_id: &str,
        conn_id: &str,
    ) -> ApiResult<Option<EnabledConnection>> {
        let row = sqlx::query(&format!(
            "{} WHERE oc.organization_id = $1 AND oc.connection_id = $2",
            Self::ENABLED_SELECT
        ))
        .bind(org_id)
        .bind(conn_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| Self::enabled_from_row(&r)).transpose()?)
    }

    pub async fn update_enabled_connection(
        &self,
        org_id: &str,
        conn_id: &str,
        input: EnabledConnectionInput,
    ) -> ApiResult<Option<EnabledConnection>> {
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query(&format!(
            "{} WHERE oc.organization_id = $1 AND oc.connection_id = $2",
            Self::ENABLED_SELECT
        ))
        .bind(org_id)
        .bind(conn_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let mut ec = Self::enabled_from_row(&row)?;
        patch(
            &mut ec.assign_membership_on_login,
            input.assign_membership_on_login,
        );
        patch(&mut ec.show_as_button, input.show_as_button);
        patch(&mut ec.is_signup_enabled, input.is_signup_enabled);
        check_signup(
            "",
            &ec.connection.strategy,
            ec.assign_membership_on_login,
            ec.is_signup_enabled,
        )?;
        sqlx::query("UPDATE organization_connections SET assign_membership_on_login = $1, show_as_button = $2, is_signup_enabled = $3 WHERE organization_id = $4 AND connection_id = $5")
            .bind(ec.assign_membership_on_login as i64)
            .bind(ec.show_as_button as i64)
            .bind(ec.is_signup_enabled as i64)
            .bind(org_id)
            .bind(conn_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(ec))
    }

    pub async fn remove_enabled_connection(&self, org_id: &str, conn_id: &str) -> ApiResult<bool> {
        let done = sqlx::query("DELETE FROM organization_connections WHERE organization_id = $1 AND connection_id = $2")
            .bind(org_id)
            .bind(conn_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The connections enabled on an organization, full records, in display order.
    pub async fn organization_connections(
        &self,
        org_id: &str,
    ) -> ApiResult<Vec<(EnabledConnection, Connection)>> {
        let rows = sqlx::query(&format!(
            "SELECT oc.connection_id, oc.assign_membership_on_login, oc.show_as_button, oc.is_signup_enabled, {} FROM organization_connections oc JOIN connections c ON c.id = oc.connection_id WHERE oc.organization_id = $1 ORDER BY oc.created_at, c.name",
            Self::CONN_COLUMNS_C
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Ok((Self::enabled_from_row(r)?, Self::connection_from_row(r)?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The organizations that have `connection_id` enabled.
    pub async fn organizations_with_connection(
        &self,
        connection_id: &str,
    ) -> ApiResult<Vec<Organization>> {
        let rows = sqlx::query("SELECT o.id, o.name, o.display_name, o.branding, o.metadata FROM organizations o JOIN organization_connections oc ON oc.organization_id = o.id WHERE oc.connection_id = $1 ORDER BY o.name")
            .bind(connection_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(Self::organization_from_row)
            .collect::<Result<_, _>>()?)
    }

    // ---- connections -----------------------------------------------------------------

    const CONN_COLUMNS: &'static str =
        "id, name, display_name, strategy, options, enabled_clients, is_domain_connection";
    const CONN_COLUMNS_C: &'static str = "c.id, c.name, c.display_name, c.strategy, c.options, c.enabled_clients, c.is_domain_connection";

    fn connection_from_row(row: &AnyRow) -> Result<Connection, sqlx::Error> {
        let name: String = row.try_get("name")?;
        Ok(Connection {
            id: row.try_get("id")?,
            display_name: row.try_get("display_name")?,
            strategy: row.try_get("strategy")?,
            options: parse_json(row.try_get("options")?).unwrap_or_default(),
            enabled_clients: parse_json(row.try_get("enabled_clients")?).unwrap_or_default(),
            is_domain_connection: row.try_get::<i64, _>("is_domain_connection")? != 0,
            realms: vec![name.clone()],
            name,
        })
    }

    pub async fn create_connection(&self, input: ConnectionInput) -> ApiResult<Connection> {
        let name = input.name.unwrap_or_default();
        let conn = Connection {
            id: new_id("con_"),
            display_name: input.display_name.unwrap_or_else(|| name.clone()),
            strategy: input.strategy.unwrap_or_default(),
            options: input.options.unwrap_or_default(),
            enabled_clients: input.enabled_clients.unwrap_or_default(),
            is_domain_connection: input.is_domain_connection.unwrap_or(false),
            realms: vec![name.clone()],
            name,
        };
        let inserted = sqlx::query("INSERT INTO connections (id, name, display_name, strategy, options, enabled_clients, is_domain_connection, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&conn.id)
            .bind(&conn.name)
            .bind(&conn.display_name)
            .bind(&conn.strategy)
            .bind(json_text(&conn.options))
            .bind(json_text(&conn.enabled_clients))
            .bind(conn.is_domain_connection as i64)
            .bind(now())
            .execute(&self.pool)
            .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => Err(ApiError::Conflict(
                "A connection with the same name already exists.",
            )),
            other => {
                other?;
                Ok(conn)
            }
        }
    }

    pub async fn connection(&self, id: &str) -> ApiResult<Option<Connection>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM connections WHERE id = $1",
            Self::CONN_COLUMNS
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| Self::connection_from_row(&r)).transpose()?)
    }

    pub async fn connections(&self, offset: i64, limit: i64) -> ApiResult<Vec<Connection>> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM connections ORDER BY name LIMIT $1 OFFSET $2",
            Self::CONN_COLUMNS
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(Self::connection_from_row)
            .collect::<Result<_, _>>()?)
    }

    pub async fn update_connection(
        &self,
        id: &str,
        input: ConnectionInput,
    ) -> ApiResult<Option<Connection>> {
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query(&format!(
            "SELECT {} FROM connections WHERE id = $1",
            Self::CONN_COLUMNS
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let mut conn = Self::connection_from_row(&row)?;
        patch(&mut conn.display_name, input.display_name);
        patch(&mut conn.options, input.options);
        patch(&mut conn.enabled_clients, input.enabled_clients);
        patch(&mut conn.is_domain_connection, input.is_domain_connection);
        sqlx::query("UPDATE connections SET display_name = $1, options = $2, enabled_clients = $3, is_domain_connection = $4 WHERE id = $5")
            .bind(&conn.display_name)
            .bind(json_text(&conn.options))
            .bind(json_text(&conn.enabled_clients))
            .bind(conn.is_domain_connection as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(conn))
    }

    pub async fn delete_connection(&self, id: &str) -> ApiResult<bool> {
        let done = sqlx::query("DELETE FROM connections WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Every connection; the directory holds few, and `enabled_clients` is JSON.
    pub async fn all_connections(&self) -> ApiResult<Vec<Connection>> {
        self.connections(0, i64::MAX).await
    }

    // ---- clients ---------------------------------------------------------------------

    fn client_from_row(row: &AnyRow) -> Result<Client, sqlx::Error> {
        let body: String = row.try_get("body")?;
        serde_json::from_str::<Client>(&body).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }

    pub async fn create_client(&self, input: ClientInput) -> ApiResult<Client> {
        use portico_rules::context::{DiscoveryMethod, OrganizationUsage, RequireBehavior};
        let client = Client {
            client_id: Alphanumeric.sample_string(&mut rand::rng(), 32),
            name: input.name.unwrap_or_default(),
            description: input.description,
            logo_uri: input.logo_uri.flatten(),
            app_type: input.app_type,
            callbacks: input.callbacks.unwrap_or_default(),
            organization_usage: input.organization_usage.unwrap_or(OrganizationUsage::Deny),
            organization_require_behavior: input
                .organization_require_behavior
                .unwrap_or(RequireBehavior::NoPrompt),
            organization_discovery_methods: input
                .organization_discovery_methods
                .unwrap_or_else(|| vec![DiscoveryMethod::OrganizationName]),
        };
        self.insert_client(&client).await?;
        Ok(client)
    }

    /// Inserts a client with a chosen id (the demo tenant's are fixed).
    pub async fn insert_client(&self, client: &Client) -> ApiResult<()> {
        sqlx::query(
            "INSERT INTO clients (client_id, name, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&client.client_id)
        .bind(&client.name)
        .bind(json_text(client))
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn client(&self, id: &str) -> ApiResult<Option<Client>> {
        let row = sqlx::query("SELECT body FROM clients WHERE client_id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| Self::client_from_row(&r)).transpose()?)
    }

    pub async fn clients(&self, offset: i64, limit: i64) -> ApiResult<Vec<Client>> {
        let rows = sqlx::query(
            "SELECT body FROM clients ORDER BY created_at, client_id LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(Self::client_from_row)
            .collect::<Result<_, _>>()?)
    }

    pub async fn update_client(&self, id: &str, input: ClientInput) -> ApiResult<Option<Client>> {
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query("SELECT body FROM clients WHERE client_id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(None);
        };
        let mut c = Self::client_from_row(&row)?;
        patch(&mut c.name, input.name);
        patch(&mut c.description, input.description.map(Some));
        patch(&mut c.logo_uri, input.logo_uri);
        patch(&mut c.app_type, input.app_type.map(Some));
        patch(&mut c.callbacks, input.callbacks);
        patch(&mut c.organization_usage, input.organization_usage);
        patch(
            &mut c.organization_require_behavior,
            input.organization_require_behavior,
        );
        patch(
            &mut c.organization_discovery_methods,
            input.organization_discovery_methods,
        );
        sqlx::query("UPDATE clients SET name = $1, body = $2 WHERE client_id = $3")
            .bind(&c.name)
            .bind(json_text(&c))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(c))
    }

    pub async fn delete_client(&self, id: &str) -> ApiResult<bool> {
        let done = sqlx::query("DELETE FROM clients WHERE client_id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

#[derive(Clone, Copy)]
pub enum Table {
    Organizations,
    Connections,
    Clients,
}

impl Table {
    fn as_str(self) -> &'static str {
        match self {
            Table::Organizations => "organizations",
            Table::Connections => "connections",
            Table::Clients => "clients",
        }
    }
}
