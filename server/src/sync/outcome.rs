//! What a sync says about itself: why it failed, and its progress.

/// Why a sync did not finish; says what was being read and what the source answered,
/// never a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncError(pub String);

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where progress goes: stderr for the one-shot command, the log while serving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    Stderr,
    Log,
}

impl Progress {
    pub fn count(&self, what: &str, n: usize) {
        match self {
            Progress::Stderr => eprintln!("sync: {what}: {n}"),
            Progress::Log => tracing::debug!(what, n, "sync progress"),
        }
    }
}
