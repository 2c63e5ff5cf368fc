//! `portico-server serve --demo` as a real process on a free port, for the tests of
//! what the binary itself does: what it prints, what it logs, how it stops.

use std::io::{BufRead, BufReader, Lines, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::thread::JoinHandle;

/// A running server, killed when dropped (a failed assertion included), so no
/// process outlives its test holding the test's output open.
pub struct DemoServer {
    pub child: Child,
    pub port: u16,
    /// Its database URL (a SQLite file in the test's directory).
    pub database: String,
    /// What it prints after the line naming its port, until taken.
    stdout: Option<Lines<BufReader<ChildStdout>>>,
}

impl DemoServer {
    /// Starts it in `dir` with `env`, without a built page; waits for the line that
    /// names its port. Its stderr is piped (read it with `read_all`) or dropped.
    pub fn start(dir: &std::path::Path, env: &[(&str, &str)], keep_stderr: bool) -> Self {
        Self::start_with(dir, env, keep_stderr, &[])
    }

    /// `start`, with more flags for `serve`.
    pub fn start_with(
        dir: &std::path::Path,
        env: &[(&str, &str)],
        keep_stderr: bool,
        flags: &[&str],
    ) -> Self {
        let database = format!("sqlite://{}", dir.join("demo.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_portico-server"))
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .args(["--database", &database])
            .args(["--dist", &dir.join("no-dist").display().to_string()])
            .args(flags)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(if keep_stderr {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = loop {
            let line = stdout.next().expect("the demo's URLs").unwrap();
            if let Some(rest) = line.split("demo tenant on http://localhost:").nth(1) {
                break rest.trim().parse().unwrap();
            }
        };
        DemoServer {
            child,
            port,
            database,
            stdout: Some(stdout),
        }
    }

    /// The lines it prints from here on.
    pub fn stdout(&mut self) -> &mut Lines<BufReader<ChildStdout>> {
        self.stdout.as_mut().expect("stdout not taken yet")
    }

    /// The rest of what it prints, read on a thread of its own (joined when the
    /// server has stopped).
    pub fn read_stdout(&mut self) -> JoinHandle<String> {
        let lines = self.stdout.take().expect("stdout not taken yet");
        std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>().join("\n"))
    }

    /// Its stderr, read on a thread of its own (started with `keep_stderr`).
    pub fn read_stderr(&mut self) -> JoinHandle<String> {
        read_all(self.child.stderr.take().expect("stderr kept"))
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `stream` to its end on a thread of its own, so a full pipe never stalls the
/// process writing it.
pub fn read_all(mut stream: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stream.read_to_string(&mut s);
        s
    })
}

/// One raw HTTP/1.1 GET with a bearer token, the whole answer as text.
pub fn http_get(port: u16, target: &str, token: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    // A connection the server refuses ends the answer where it stops.
    let _ = s.read_to_string(&mut reply);
    reply
}

/// The status code of an HTTP answer (0 when there is none).
pub fn status_of(reply: &str) -> u16 {
    reply
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}
