//! A synthetic directory written in bulk, for the scale benchmark and the scale
//! tests: `n` organizations `scale-1` … `scale-n`, each with two enabled connections —
//! its own enterprise connection `scale-i-sso` claiming the email domain
//! `scale-i.test`, and the shared database connection `scale-db` — and one client,
//! `scale-client` (require + pre_login_prompt, both discovery methods, callback
//! `https://app.scale.test/callback`). A handful of statements in one transaction
//! instead of `n` API calls; the rows are exactly what the API would have written.

use portico_rules::context::{DiscoveryMethod, OrganizationUsage, RequireBehavior};

use super::{json_text, Db, StoreResult};
use crate::records::Client;

pub const SCALE_CLIENT: &str = "scale-client";
pub const SCALE_CALLBACK: &str = "https://app.scale.test/callback";

impl Db {
    pub async fn insert_synthetic_directory(&self, n: u32) -> StoreResult<()> {
        let series = format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})"
        );
        let client = Client {
            client_id: SCALE_CLIENT.into(),
            name: "Scale".into(),
            description: None,
            logo_uri: None,
            app_type: Some("spa".into()),
            callbacks: vec![SCALE_CALLBACK.into()],
            organization_usage: OrganizationUsage::Require,
            organization_require_behavior: RequireBehavior::PreLoginPrompt,
            organization_discovery_methods: vec![
                DiscoveryMethod::OrganizationName,
                DiscoveryMethod::Email,
            ],
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO clients (client_id, name, body, created_at) VALUES ($1, $2, $3, 0)",
        )
        .bind(&client.client_id)
        .bind(&client.name)
        .bind(json_text(&client))
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO connections (id, name, display_name, strategy, options, enabled_clients, is_domain_connection, created_at, kind) VALUES ('con_scaledb', 'scale-db', 'Email and password', 'auth0', '{}', '[]', 0, 0, 'database')")
            .execute(&mut *tx)
            .await?;
        // Ids have Portico's shape (`org_` and 16 letters or digits).
        let statements = [
            format!("INSERT INTO organizations (id, name, display_name, branding, metadata, created_at, updated_at) {series} SELECT 'org_scale' || (10000000000 + i), 'scale-' || i, 'Scale ' || i, NULL, NULL, 0, 0 FROM n"),
            format!("INSERT INTO connections (id, name, display_name, strategy, options, enabled_clients, is_domain_connection, created_at, kind) {series} SELECT 'con_scale' || (10000000000 + i), 'scale-' || i || '-sso', 'Scale ' || i || ' SSO', 'okta', '{{\"domain_aliases\":[\"scale-' || i || '.test\"]}}', '[]', 0, 0, 'enterprise' FROM n"),
            format!("INSERT INTO connection_domains (domain, connection_id) {series} SELECT 'scale-' || i || '.test', 'con_scale' || (10000000000 + i) FROM n"),
            format!("INSERT INTO organization_connections (organization_id, connection_id, assign_membership_on_login, show_as_button, is_signup_enabled, created_at) {series} SELECT 'org_scale' || (10000000000 + i), 'con_scale' || (10000000000 + i), 0, 1, 0, 0 FROM n"),
            format!("INSERT INTO organization_connections (organization_id, connection_id, assign_membership_on_login, show_as_button, is_signup_enabled, created_at) {series} SELECT 'org_scale' || (10000000000 + i), 'con_scaledb', 1, 1, 0, 1 FROM n"),
        ];
        for sql in &statements {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        if self.backend == super::Backend::Postgres {
            // Statistics, as autovacuum would gather them after a large import.
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }
}
