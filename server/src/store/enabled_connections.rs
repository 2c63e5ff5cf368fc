//! An organization's enabled connections: add (the limit of 10 and the sign-up rule
//! hold under concurrency), read, update, remove, and the joined reads the login
//! context needs.

use portico_rules::directory::{check_signup, MAX_ENABLED_CONNECTIONS};
use sqlx::any::AnyRow;
use sqlx::Row;

use portico_rules::context::ConnectionKind;

use super::connections::connection_from_row;
use super::{decode_all, now, on_unique, patch, Conflict, Db, StoreError, StoreResult};
use crate::records::{
    ConnectionSummary, EnabledConnection, EnabledConnectionInput, LoginConnections,
};

/// An organization's visible connections and the one a request names: `$1` its id,
/// `$2` the enterprise kind, `$3` the named connection (`''` for none). Visible:
/// enterprise connections can be hidden from the buttons (`show_as_button` false);
/// database and social connections always show. `DISCOVERY_SQL` counts an
/// organization by the same predicate.
pub(super) const VISIBLE_SQL: &str = "SELECT oc.connection_id, oc.assign_membership_on_login, oc.show_as_button, oc.is_signup_enabled, c.id, c.name, c.display_name, c.strategy, c.options, c.enabled_clients, c.is_domain_connection, c.show_as_button AS connection_show_as_button FROM organization_connections oc JOIN connections c ON c.id = oc.connection_id WHERE oc.organization_id = $1 AND (oc.show_as_button <> 0 OR c.kind <> $2 OR c.name = $3) ORDER BY oc.created_at, c.name";

const ENABLED_SELECT: &str = "SELECT oc.connection_id, oc.assign_membership_on_login, oc.show_as_button, oc.is_signup_enabled, c.name, c.strategy FROM organization_connections oc JOIN connections c ON c.id = oc.connection_id";

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

impl Db {
    /// Enables `ec` on `org_id` inside `tx`; `item` is its place in an organization
    /// create's `enabled_connections`, for errors.
    pub(super) async fn insert_enabled_connection(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        org_id: &str,
        ec: &EnabledConnectionInput,
        item: Option<usize>,
    ) -> StoreResult<EnabledConnection> {
        // Taking the organization's row first serializes concurrent adds, so the limit
        // of 10 holds under concurrency on both backends.
        let touched = sqlx::query("UPDATE organizations SET updated_at = $1 WHERE id = $2")
            .bind(now())
            .bind(org_id)
            .execute(&mut **tx)
            .await?;
        if touched.rows_affected() == 0 {
            return Err(StoreError::OrganizationNotFound);
        }
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM organization_connections WHERE organization_id = $1",
        )
        .bind(org_id)
        .fetch_one(&mut **tx)
        .await?;
        if count as usize >= MAX_ENABLED_CONNECTIONS {
            return Err(StoreError::TooManyConnections { item });
        }
        let conn = sqlx::query("SELECT name, strategy FROM connections WHERE id = $1")
            .bind(&ec.connection_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::UnknownConnection { item })?;
        let summary = ConnectionSummary {
            name: conn.try_get("name")?,
            strategy: conn.try_get("strategy")?,
        };
        let assign = ec.assign_membership_on_login.unwrap_or(false);
        let show = ec.show_as_button.unwrap_or(true);
        let signup = ec.is_signup_enabled.unwrap_or(false);
        check_signup(&summary.strategy, assign, signup)
            .map_err(|rule| StoreError::Signup { item, rule })?;
        on_unique(
            sqlx::query(
                "INSERT INTO organization_connections (organization_id, connection_id, assign_membership_on_login, show_as_button, is_signup_enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(org_id)
            .bind(&ec.connection_id)
            .bind(assign as i64)
            .bind(show as i64)
            .bind(signup as i64)
            .bind(now())
            .execute(&mut **tx)
            .await,
            Conflict::EnabledConnection,
        )?;
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
    ) -> StoreResult<EnabledConnection> {
        let mut tx = self.pool.begin().await?;
        let out = Self::insert_enabled_connection(&mut tx, org_id, &ec, None).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// An organization's enabled connections in display order, `offset`/`limit`.
    pub async fn enabled_connections(
        &self,
        org_id: &str,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<EnabledConnection>> {
        let sql = format!(
            "{ENABLED_SELECT} WHERE oc.organization_id = $1 ORDER BY oc.created_at, c.name LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(&sql)
            .bind(org_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        decode_all(&rows, enabled_from_row)
    }

    pub async fn count_enabled_connections(&self, org_id: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM organization_connections WHERE organization_id = $1",
        )
        .bind(org_id)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn enabled_connection(
        &self,
        org_id: &str,
        conn_id: &str,
    ) -> StoreResult<Option<EnabledConnection>> {
        let sql =
            format!("{ENABLED_SELECT} WHERE oc.organization_id = $1 AND oc.connection_id = $2");
        let row = sqlx::query(&sql)
            .bind(org_id)
            .bind(conn_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| enabled_from_row(&r)).transpose()?)
    }

    pub async fn update_enabled_connection(
        &self,
        org_id: &str,
        conn_id: &str,
        input: EnabledConnectionInput,
    ) -> StoreResult<Option<EnabledConnection>> {
        let mut tx = self.pool.begin().await?;
        let sql =
            format!("{ENABLED_SELECT} WHERE oc.organization_id = $1 AND oc.connection_id = $2");
        let Some(row) = sqlx::query(&sql)
            .bind(org_id)
            .bind(conn_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(None);
        };
        let mut ec = enabled_from_row(&row)?;
        patch(
            &mut ec.assign_membership_on_login,
            input.assign_membership_on_login,
        );
        patch(&mut ec.show_as_button, input.show_as_button);
        patch(&mut ec.is_signup_enabled, input.is_signup_enabled);
        check_signup(
            &ec.connection.strategy,
            ec.assign_membership_on_login,
            ec.is_signup_enabled,
        )
        .map_err(|rule| StoreError::Signup { item: None, rule })?;
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

    pub async fn remove_enabled_connection(
        &self,
        org_id: &str,
        conn_id: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM organization_connections WHERE organization_id = $1 AND connection_id = $2")
            .bind(org_id)
            .bind(conn_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The connections an organization shows on its login page, full records, in
    /// display order, and `named` (a connection the request names) when it is one
    /// hidden from buttons (one indexed query on the organization's key).
    pub async fn visible_connections(
        &self,
        org_id: &str,
        named: Option<&str>,
    ) -> StoreResult<LoginConnections> {
        let rows = sqlx::query(VISIBLE_SQL)
            .bind(org_id)
            .bind(ConnectionKind::Enterprise.as_str())
            .bind(named.unwrap_or(""))
            .fetch_all(&self.pool)
            .await?;
        let mut found = LoginConnections::default();
        for row in &rows {
            let (ec, c) = (enabled_from_row(row)?, connection_from_row(row)?);
            // VISIBLE_SQL's own predicate: a row that fails it is the named one.
            if ec.show_as_button || c.kind() != ConnectionKind::Enterprise {
                found.shown.push((ec, c));
            } else {
                found.named_hidden = Some((ec, c));
            }
        }
        Ok(found)
    }
}
