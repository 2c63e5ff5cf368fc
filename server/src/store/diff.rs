//! The differences between the directory and a sync source's, written inside the
//! sync's transaction: what is here is read, then only what differs is written —
//! removals first, names that move parked under a temporary one (two organizations
//! may swap names), then inserts and updates. Counted per kind of record.

use std::collections::{HashMap, HashSet};

use sqlx::{Any, Row, Transaction};

use super::clients::client_from_row;
use super::connections::{connection_from_row, index_connection, CONN_COLUMNS};
use super::organizations::{organization_from_row, ORG_COLUMNS};
use super::{json_text, now};
use crate::records::{Client, Connection, Directory, EnabledRow, Organization};

/// Rows created, updated and removed, for one kind of record.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub removed: usize,
}

impl Counts {
    fn total(self) -> usize {
        self.created + self.updated + self.removed
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} removed",
            self.created, self.updated, self.removed
        )
    }
}

/// What a sync changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    pub organizations: Counts,
    pub connections: Counts,
    pub enabled_connections: Counts,
    pub clients: Counts,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.organizations.total()
            + self.connections.total()
            + self.enabled_connections.total()
            + self.clients.total()
            == 0
    }
}

type Tx<'c> = Transaction<'c, Any>;

fn by_id<T>(items: Vec<T>, id: impl Fn(&T) -> String) -> HashMap<String, T> {
    items.into_iter().map(|t| (id(&t), t)).collect()
}

async fn delete_where(tx: &mut Tx<'_>, sql: &str, ids: &[&str]) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query(sql).bind(*id).execute(&mut **tx).await?;
    }
    Ok(())
}

type EnabledKey = (String, String);

async fn current_enabled(tx: &mut Tx<'_>) -> Result<HashMap<EnabledKey, EnabledRow>, sqlx::Error> {
    let rows = sqlx::query("SELECT organization_id, connection_id, assign_membership_on_login, show_as_button, is_signup_enabled FROM organization_connections")
        .fetch_all(&mut **tx)
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let r = EnabledRow {
            organization_id: row.try_get("organization_id")?,
            connection_id: row.try_get("connection_id")?,
            assign_membership_on_login: row.try_get::<i64, _>("assign_membership_on_login")? != 0,
            show_as_button: row.try_get::<i64, _>("show_as_button")? != 0,
            is_signup_enabled: row.try_get::<i64, _>("is_signup_enabled")? != 0,
        };
        out.insert((r.organization_id.clone(), r.connection_id.clone()), r);
    }
    Ok(out)
}

/// Removes the enabled connections the source no longer has (before their
/// organizations or connections go, so the counts are the source's).
pub(super) async fn sync_enabled_removals(
    tx: &mut Tx<'_>,
    want: &Directory,
) -> Result<Counts, sqlx::Error> {
    let wanted: HashSet<(&str, &str)> = want
        .enabled
        .iter()
        .map(|e| (e.organization_id.as_str(), e.connection_id.as_str()))
        .collect();
    let have = current_enabled(tx).await?;
    let mut counts = Counts::default();
    for (org, conn) in have.keys() {
        if !wanted.contains(&(org.as_str(), conn.as_str())) {
            sqlx::query("DELETE FROM organization_connections WHERE organization_id = $1 AND connection_id = $2")
                .bind(org)
                .bind(conn)
                .execute(&mut **tx)
                .await?;
            counts.removed += 1;
        }
    }
    Ok(counts)
}

pub(super) async fn sync_enabled_upserts(
    tx: &mut Tx<'_>,
    want: &[EnabledRow],
) -> Result<Counts, sqlx::Error> {
    let have = current_enabled(tx).await?;
    let mut counts = Counts::default();
    // The source's order is the display order: created_at keeps it.
    for (i, e) in want.iter().enumerate() {
        let key = (e.organization_id.clone(), e.connection_id.clone());
        let sql = match have.get(&key) {
            Some(h) if h == e => continue,
            Some(_) => {
                counts.updated += 1;
                "UPDATE organization_connections SET assign_membership_on_login = $3, show_as_button = $4, is_signup_enabled = $5 WHERE organization_id = $1 AND connection_id = $2 AND $6 = $6"
            }
            None => {
                counts.created += 1;
                "INSERT INTO organization_connections (organization_id, connection_id, assign_membership_on_login, show_as_button, is_signup_enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
            }
        };
        sqlx::query(sql)
            .bind(&e.organization_id)
            .bind(&e.connection_id)
            .bind(e.assign_membership_on_login as i64)
            .bind(e.show_as_button as i64)
            .bind(e.is_signup_enabled as i64)
            .bind(i as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(counts)
}

/// Removes what the source no longer has and parks the names that move, so that no
/// insert or update below meets a name still held by another row.
async fn clear_the_way<'a, T>(
    tx: &mut Tx<'_>,
    table: &str,
    have: &HashMap<String, T>,
    want: &'a HashMap<&'a str, (&'a str, &'a T)>,
    name: impl Fn(&T) -> &str,
) -> Result<usize, sqlx::Error> {
    let gone: Vec<&str> = have
        .keys()
        .map(String::as_str)
        .filter(|id| !want.contains_key(id))
        .collect();
    let key = if table == "clients" {
        "client_id"
    } else {
        "id"
    };
    delete_where(tx, &format!("DELETE FROM {table} WHERE {key} = $1"), &gone).await?;
    if table != "clients" {
        for (id, h) in have {
            if want.get(id.as_str()).is_some_and(|(n, _)| *n != name(h)) {
                sqlx::query(&format!("UPDATE {table} SET name = $1 WHERE id = $2"))
                    .bind(format!("~sync~{id}"))
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(gone.len())
}

pub(super) async fn sync_organizations(
    tx: &mut Tx<'_>,
    want: &[Organization],
) -> Result<Counts, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {ORG_COLUMNS} FROM organizations"))
        .fetch_all(&mut **tx)
        .await?;
    let have = by_id(
        rows.iter()
            .map(organization_from_row)
            .collect::<Result<Vec<_>, _>>()?,
        |o| o.id.clone(),
    );
    let wanted: HashMap<&str, (&str, &Organization)> = want
        .iter()
        .map(|o| (o.id.as_str(), (o.name.as_str(), o)))
        .collect();
    let mut counts = Counts {
        removed: clear_the_way(tx, "organizations", &have, &wanted, |o| &o.name).await?,
        ..Counts::default()
    };
    let t = now();
    for o in want {
        let sql = match have.get(&o.id) {
            Some(h) if h == o => continue,
            Some(_) => {
                counts.updated += 1;
                "UPDATE organizations SET name = $2, display_name = $3, branding = $4, metadata = $5, updated_at = $6 WHERE id = $1"
            }
            None => {
                counts.created += 1;
                "INSERT INTO organizations (id, name, display_name, branding, metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)"
            }
        };
        sqlx::query(sql)
            .bind(&o.id)
            .bind(&o.name)
            .bind(&o.display_name)
            .bind(o.branding.as_ref().map(json_text))
            .bind(o.metadata.as_ref().map(json_text))
            .bind(t)
            .execute(&mut **tx)
            .await?;
    }
    Ok(counts)
}

pub(super) async fn sync_connections(
    tx: &mut Tx<'_>,
    want: &[Connection],
) -> Result<Counts, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {CONN_COLUMNS} FROM connections"))
        .fetch_all(&mut **tx)
        .await?;
    let have = by_id(
        rows.iter()
            .map(connection_from_row)
            .collect::<Result<Vec<_>, _>>()?,
        |c| c.id.clone(),
    );
    let wanted: HashMap<&str, (&str, &Connection)> = want
        .iter()
        .map(|c| (c.id.as_str(), (c.name.as_str(), c)))
        .collect();
    let mut counts = Counts {
        removed: clear_the_way(tx, "connections", &have, &wanted, |c| &c.name).await?,
        ..Counts::default()
    };
    let t = now();
    for c in want {
        let sql = match have.get(&c.id) {
            Some(h) if h == c => continue,
            Some(_) => {
                counts.updated += 1;
                "UPDATE connections SET name = $2, display_name = $3, strategy = $4, options = $5, enabled_clients = $6, is_domain_connection = $7, kind = $9, show_as_button = $10 WHERE id = $1 AND $8 = $8"
            }
            None => {
                counts.created += 1;
                "INSERT INTO connections (id, name, display_name, strategy, options, enabled_clients, is_domain_connection, created_at, kind, show_as_button) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            }
        };
        sqlx::query(sql)
            .bind(&c.id)
            .bind(&c.name)
            .bind(&c.display_name)
            .bind(&c.strategy)
            .bind(json_text(&c.options))
            .bind(json_text(&c.enabled_clients))
            .bind(c.is_domain_connection as i64)
            .bind(t)
            .bind(c.kind().as_str())
            .bind(c.show_as_button as i64)
            .execute(&mut **tx)
            .await?;
        index_connection(tx, c).await?;
    }
    Ok(counts)
}

pub(super) async fn sync_clients(tx: &mut Tx<'_>, want: &[Client]) -> Result<Counts, sqlx::Error> {
    let rows = sqlx::query("SELECT body FROM clients")
        .fetch_all(&mut **tx)
        .await?;
    let have = by_id(
        rows.iter()
            .map(client_from_row)
            .collect::<Result<Vec<_>, _>>()?,
        |c| c.client_id.clone(),
    );
    let wanted: HashMap<&str, (&str, &Client)> = want
        .iter()
        .map(|c| (c.client_id.as_str(), (c.name.as_str(), c)))
        .collect();
    let mut counts = Counts {
        removed: clear_the_way(tx, "clients", &have, &wanted, |c| &c.name).await?,
        ..Counts::default()
    };
    // Clients list in creation order: the source's order becomes it.
    for (i, c) in want.iter().enumerate() {
        let sql = match have.get(&c.client_id) {
            Some(h) if h == c => continue,
            Some(_) => {
                counts.updated += 1;
                "UPDATE clients SET name = $2, body = $3 WHERE client_id = $1 AND $4 = $4"
            }
            None => {
                counts.created += 1;
                "INSERT INTO clients (client_id, name, body, created_at) VALUES ($1, $2, $3, $4)"
            }
        };
        sqlx::query(sql)
            .bind(&c.client_id)
            .bind(&c.name)
            .bind(json_text(c))
            .bind(i as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(counts)
}
