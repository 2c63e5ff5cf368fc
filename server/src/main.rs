use clap::Parser;

// The server unwinds: a panic in one request becomes that request's 500
// (`middleware::catch_panic`) while every other request in flight goes on. Only the
// page is built to abort, for size (scripts/build-page.sh).
#[cfg(panic = "abort")]
compile_error!("portico-server must be built with panic = \"unwind\": an abort would end every request in flight");

#[tokio::main]
async fn main() -> std::process::ExitCode {
    portico_server::cli::run(portico_server::cli::Cli::parse()).await
}
