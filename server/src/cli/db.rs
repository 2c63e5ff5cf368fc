//! The database a command works on: its URL, opened and migrated, with the token key.

use clap::Args;

use crate::store::Db;
use crate::token::TokenKey;

#[derive(Args, Clone)]
pub struct DbArgs {
    /// sqlite://FILE (default) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://portico.db")]
    pub database: String,
}

const TOKEN_KEY_SETTING: &str = "management_token_key";

/// Opens the database, migrates it, and loads (or creates) the token key.
pub async fn open(database: &str) -> Result<(Db, TokenKey), String> {
    let db = Db::connect(database)
        .await
        .map_err(|e| format!("cannot open {}: {e}", redact(database)))?;
    db.migrate()
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    let key = db
        .setting_or_init(TOKEN_KEY_SETTING, TokenKey::generate)
        .await
        .map_err(|e| format!("cannot read the token key: {e}"))?;
    let key = TokenKey::from_base64(&key).ok_or("the stored token key is invalid")?;
    Ok((db, key))
}

/// A database URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_owned(),
    }
}
