//! The schema's migrations, applied at start in order, each once.

use super::{connections, Db};

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_directory.sql")),
    (2, include_str!("../../migrations/0002_indexes.sql")),
    (3, include_str!("../../migrations/0003_personal_login.sql")),
];

impl Db {
    /// Applies the migrations not yet applied, each in its own transaction (with the
    /// data it derives from rows that existed before it).
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
            if *version == 2 {
                connections::fill_indexes(&mut tx).await?;
            }
            sqlx::query("INSERT INTO portico_migrations (version) VALUES ($1)")
                .bind(*version)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }
}
