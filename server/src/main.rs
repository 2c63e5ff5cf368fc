use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    portico_server::cli::run(portico_server::cli::Cli::parse()).await
}
