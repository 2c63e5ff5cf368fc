//! Clients (applications): kept as their JSON record, keyed by `client_id`.

use rand::distr::{Alphanumeric, SampleString};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{json_text, now, patch, Db, StoreResult};
use crate::records::{Client, ClientInput};

pub(super) fn client_from_row(row: &AnyRow) -> Result<Client, sqlx::Error> {
    let body: String = row.try_get("body")?;
    serde_json::from_str::<Client>(&body).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

impl Db {
    pub async fn create_client(&self, input: ClientInput) -> StoreResult<Client> {
        let client = Client::from_input(Alphanumeric.sample_string(&mut rand::rng(), 32), input);
        self.insert_client(&client).await?;
        Ok(client)
    }

    /// Inserts a client with a chosen id (the demo tenant's are fixed).
    pub async fn insert_client(&self, client: &Client) -> StoreResult<()> {
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

    pub async fn client(&self, id: &str) -> StoreResult<Option<Client>> {
        let row = sqlx::query("SELECT body FROM clients WHERE client_id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| client_from_row(&r)).transpose()?)
    }

    pub async fn clients(&self, offset: i64, limit: i64) -> StoreResult<Vec<Client>> {
        let rows = sqlx::query(
            "SELECT body FROM clients ORDER BY created_at, client_id LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(client_from_row).collect::<Result<_, _>>()?)
    }

    /// Clients in `client_id` order after `from` (checkpoint paging), at most `limit`.
    pub async fn clients_after(&self, from: &str, limit: i64) -> StoreResult<Vec<Client>> {
        let rows = sqlx::query(
            "SELECT body FROM clients WHERE client_id > $1 ORDER BY client_id LIMIT $2",
        )
        .bind(from)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(client_from_row).collect::<Result<_, _>>()?)
    }

    pub async fn update_client(&self, id: &str, input: ClientInput) -> StoreResult<Option<Client>> {
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query("SELECT body FROM clients WHERE client_id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(None);
        };
        let mut c = client_from_row(&row)?;
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

    pub async fn delete_client(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM clients WHERE client_id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
