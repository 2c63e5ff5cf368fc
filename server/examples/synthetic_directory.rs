//! Writes the scale benchmark's synthetic directory (`store::bulk`) into a database:
//!
//!     synthetic_directory --database sqlite://scale.db --organizations 100000
//!
//! The database is migrated first; it should be empty.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let (Some(database), Some(n)) = (
        arg("--database"),
        arg("--organizations").and_then(|n| n.parse::<u32>().ok()),
    ) else {
        eprintln!("usage: synthetic_directory --database URL --organizations N");
        return ExitCode::from(2);
    };
    let started = std::time::Instant::now();
    let (db, _) = match portico_server::cli::open(&database).await {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = db.insert_synthetic_directory(n).await {
        eprintln!("seeding failed: {e:?}");
        return ExitCode::FAILURE;
    }
    db.close().await;
    eprintln!(
        "{n} organizations written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
