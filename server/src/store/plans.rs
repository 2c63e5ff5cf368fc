//! The query plans of the reads the public can reach, as the database reports them
//! (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL): what the tests read to
//! prove that every public path is answered from indexes, and what docs/architecture.md's
//! table of indexes was written from.

use portico_rules::context::ConnectionKind;

use super::connections::{CLIENT_CONNECTIONS_SQL, DISCOVERY_SQL};
use super::enabled_connections::VISIBLE_SQL;
use super::{Backend, Db, StoreResult};

/// A sample value for a read's parameter.
#[derive(Clone, Copy)]
enum Param {
    Text(&'static str),
    Int(i64),
}
use Param::{Int, Text};

impl Db {
    /// Each public read, by name, with its plan's lines.
    pub async fn public_query_plans(&self) -> StoreResult<Vec<(&'static str, Vec<String>)>> {
        let explain = match self.backend {
            Backend::Sqlite => "EXPLAIN QUERY PLAN ",
            Backend::Postgres => "EXPLAIN ",
        };
        let enterprise = Text(ConnectionKind::Enterprise.as_str());
        let reads: [(&'static str, &str, Vec<Param>); 6] = [
            (
                "discovery",
                DISCOVERY_SQL,
                vec![Text("acme.test"), enterprise, Int(50)],
            ),
            (
                "visible connections",
                VISIBLE_SQL,
                vec![Text("org_x"), enterprise, Text("okta")],
            ),
            (
                "personal connections",
                CLIENT_CONNECTIONS_SQL,
                vec![Text("client"), enterprise, Int(20)],
            ),
            (
                "organization by id",
                "SELECT id FROM organizations WHERE id = $1",
                vec![Text("org_x")],
            ),
            (
                "organization by name",
                "SELECT id FROM organizations WHERE name = $1",
                vec![Text("acme")],
            ),
            (
                "client",
                "SELECT body FROM clients WHERE client_id = $1",
                vec![Text("client")],
            ),
        ];
        let mut plans = Vec::new();
        for (name, sql, params) in reads {
            let sql = format!("{explain}{sql}");
            let mut query = sqlx::query(&sql);
            for p in params {
                query = match p {
                    Text(t) => query.bind(t),
                    Int(n) => query.bind(n),
                };
            }
            let rows = query.fetch_all(&self.pool).await?;
            plans.push((name, rows.iter().map(row_text).collect()));
        }
        Ok(plans)
    }
}

fn row_text(row: &sqlx::any::AnyRow) -> String {
    use sqlx::Row;
    (0..row.len())
        .map(|i| {
            row.try_get::<String, _>(i)
                .or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string()))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("|")
}
