//! Organizations: create (with its enabled connections, in one transaction), read by
//! id or name, list by id, update, delete.

use portico_rules::context::Branding;
use portico_rules::OrganizationRef;
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{
    decode_all, json_text, new_id, now, on_unique, parse_json, patch, Conflict, Db, StoreError,
    StoreResult,
};
use crate::records::{EnabledConnection, Organization, OrganizationInput};

pub(super) const ORG_COLUMNS: &str = "id, name, display_name, branding, metadata";

pub(super) fn organization_from_row(row: &AnyRow) -> Result<Organization, sqlx::Error> {
    Ok(Organization {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        branding: parse_json::<Branding>(row.try_get("branding")?),
        metadata: parse_json::<Map<String, Value>>(row.try_get("metadata")?),
    })
}

impl Db {
    pub async fn create_organization(
        &self,
        mut input: OrganizationInput,
    ) -> StoreResult<(Organization, Vec<EnabledConnection>)> {
        let enabled_connections = std::mem::take(&mut input.enabled_connections);
        let org = Organization::from_input(new_id("org_"), input);
        let mut tx = self.pool.begin().await?;
        let t = now();
        on_unique(
            sqlx::query(
                "INSERT INTO organizations (id, name, display_name, branding, metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(&org.id)
            .bind(&org.name)
            .bind(&org.display_name)
            .bind(org.branding.as_ref().map(json_text))
            .bind(org.metadata.as_ref().map(json_text))
            .bind(t)
            .execute(&mut *tx)
            .await,
            Conflict::OrganizationName,
        )?;
        let mut enabled = Vec::new();
        for (i, ec) in enabled_connections.iter().enumerate() {
            enabled.push(Self::insert_enabled_connection(&mut tx, &org.id, ec, Some(i)).await?);
        }
        tx.commit().await?;
        Ok((org, enabled))
    }

    async fn organization_where(
        &self,
        column: &str,
        value: &str,
    ) -> StoreResult<Option<Organization>> {
        let row = sqlx::query(&format!(
            "SELECT {ORG_COLUMNS} FROM organizations WHERE {column} = $1"
        ))
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| organization_from_row(&r)).transpose()?)
    }

    pub async fn organization(&self, id: &str) -> StoreResult<Option<Organization>> {
        self.organization_where("id", id).await
    }

    pub async fn organization_by_name(&self, name: &str) -> StoreResult<Option<Organization>> {
        self.organization_where("name", name).await
    }

    /// The organization a request names: by id (then by name, when the id is also a
    /// valid name), or by name.
    pub async fn organization_by_ref(
        &self,
        wanted: &OrganizationRef,
    ) -> StoreResult<Option<Organization>> {
        match wanted {
            OrganizationRef::Id { id, or_name } => match self.organization(id).await? {
                Some(org) => Ok(Some(org)),
                None => match or_name {
                    Some(name) => self.organization_by_name(name.as_str()).await,
                    None => Ok(None),
                },
            },
            OrganizationRef::Name(name) => self.organization_by_name(name.as_str()).await,
        }
    }

    /// Organizations ordered by id: `offset`/`limit`, or after the id `from`.
    pub async fn organizations(
        &self,
        offset: i64,
        limit: i64,
        from: Option<&str>,
    ) -> StoreResult<Vec<Organization>> {
        let rows = match from {
            Some(from) => {
                let sql = format!(
                    "SELECT {ORG_COLUMNS} FROM organizations WHERE id > $1 ORDER BY id LIMIT $2"
                );
                sqlx::query(&sql)
                    .bind(from)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {ORG_COLUMNS} FROM organizations ORDER BY id LIMIT $1 OFFSET $2"
                );
                sqlx::query(&sql)
                    .bind(limit)
                    .bind(offset)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        decode_all(&rows, organization_from_row)
    }

    pub async fn update_organization(
        &self,
        id: &str,
        input: OrganizationInput,
    ) -> StoreResult<Organization> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT {ORG_COLUMNS} FROM organizations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::OrganizationNotFound)?;
        let mut org = organization_from_row(&row)?;
        patch(&mut org.name, input.name.map(|n| n.into_string()));
        patch(&mut org.display_name, input.display_name);
        patch(&mut org.branding, input.branding);
        patch(&mut org.metadata, input.metadata);
        on_unique(
            sqlx::query(
                "UPDATE organizations SET name = $1, display_name = $2, branding = $3, metadata = $4, updated_at = $5 WHERE id = $6",
            )
            .bind(&org.name)
            .bind(&org.display_name)
            .bind(org.branding.as_ref().map(json_text))
            .bind(org.metadata.as_ref().map(json_text))
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await,
            Conflict::OrganizationName,
        )?;
        tx.commit().await?;
        Ok(org)
    }

    pub async fn delete_organization(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM organizations WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
