//! The built page (Trunk's `dist/`), loaded into memory once at start with its
//! brotli and gzip forms, and the template of `index.html` the entry points fill in.
//!
//! Kept instead of tower-http's `ServeDir`: Trunk writes no precompressed files, so
//! `ServeDir` would compress per request or need a build step that writes `.br`/`.gz`
//! next to each file, and it reads the disk on every request; serving shared `Bytes`
//! from memory is what the benchmark's static-file figures were measured with.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use axum::body::Bytes;
use portico_rules::document::{
    BASE_DOMAIN_DEFAULT, BASE_DOMAIN_META, NONCE_PLACEHOLDER, ROOT_ELEMENT_ID,
};

/// One file of the built page, with its compressed forms.
pub struct Asset {
    pub content_type: &'static str,
    // Bytes: serving a file shares the buffer instead of copying it per request.
    pub raw: Bytes,
    pub gzip: Bytes,
    pub brotli: Bytes,
}

/// The built page, loaded once at start.
pub struct Assets {
    files: HashMap<String, Asset>,
    /// `index.html`, with the nonce placeholder on its scripts.
    pub template: String,
    /// The `<link rel="stylesheet">` tag, reused by server-rendered pages.
    pub stylesheet: String,
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
        let _ = w.write_all(bytes);
    }
    out
}

/// Gzip at `level` (0–9): the built files once, at 9; a page per response, at 6.
pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

impl Assets {
    pub fn load(dir: &Path) -> std::io::Result<Assets> {
        let mut files = HashMap::new();
        let mut template = None;
        // The top level, and the language files the page fetches when served as
        // static files (`dist/i18n/`, docs/design.md#languages).
        for (sub, prefix) in [(dir.to_path_buf(), "/"), (dir.join("i18n"), "/i18n/")] {
            if prefix != "/" && !sub.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(&sub)? {
                let entry = entry?;
                if !entry.file_type()?.is_file() {
                    continue;
                }
                let name = entry.file_name().to_string_lossy().into_owned();
                if prefix != "/" && !name.ends_with(".json") {
                    continue; // i18n/README.md is for translators
                }
                let raw = std::fs::read(entry.path())?;
                if prefix == "/" && name == "index.html" {
                    template = Some(String::from_utf8_lossy(&raw).into_owned());
                    continue;
                }
                let asset = Asset {
                    content_type: content_type(&name),
                    gzip: gzip(&raw, 9).into(),
                    brotli: brotli(&raw, 11).into(),
                    raw: raw.into(),
                };
                files.insert(format!("{prefix}{name}"), asset);
            }
        }
        let template = template.ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "{}/index.html is missing: build the page with scripts/build-page.sh",
                    dir.display()
                ),
            )
        })?;
        Ok(Self::from_parts(files, template))
    }

    fn from_parts(files: HashMap<String, Asset>, index: String) -> Assets {
        let index = canonical(&index);
        let template = index
            .replace(
                "<script type=\"module\">",
                &format!("<script type=\"module\" nonce=\"{NONCE_PLACEHOLDER}\">"),
            )
            .replace(
                "<script>",
                &format!("<script nonce=\"{NONCE_PLACEHOLDER}\">"),
            );
        let stylesheet = index
            .match_indices("<link ")
            .find_map(|(start, _)| {
                let tag = &index[start..=start + index[start..].find('>')?];
                (tag.contains(" rel=stylesheet") || tag.contains(" rel=\"stylesheet\""))
                    .then(|| tag.to_owned())
            })
            .unwrap_or_default();
        Assets {
            files,
            template,
            stylesheet,
        }
    }

    /// The file at `path` (`/portico-….wasm`), if the build has one.
    pub fn file(&self, path: &str) -> Option<&Asset> {
        self.files.get(path)
    }
}

/// Trunk's minified `index.html` (release builds) writes attributes unquoted and in
/// its own order; the tags the server rewrites are put back in the one form it looks
/// for, so the same code serves minified and plain builds.
fn canonical(index: &str) -> String {
    index
        .replace("<html lang=en>", "<html lang=\"en\">")
        .replace("<script type=module>", "<script type=\"module\">")
        .replace(
            &format!("<meta content={BASE_DOMAIN_DEFAULT} name={BASE_DOMAIN_META}>"),
            &format!("<meta name=\"{BASE_DOMAIN_META}\" content=\"{BASE_DOMAIN_DEFAULT}\">"),
        )
        .replace(
            &format!("<div id={ROOT_ELEMENT_ID}>"),
            &format!("<div id=\"{ROOT_ELEMENT_ID}\">"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    // What trunk 0.21's minifier writes (scripts/build-page.sh, `minify = "on_release"`).
    const MINIFIED: &str = "<!doctype html><html lang=en><meta charset=utf-8><meta content=localhost name=portico-base-domain><title>Log in</title><link href=/p.css integrity=sha384-x rel=stylesheet><script type=module>import init from '/p.js';</script><link crossorigin href=/p.js rel=modulepreload></head><body><div id=portico-root></div></body></html>";

    #[test]
    fn a_minified_page_is_rewritten_like_a_plain_one() {
        let assets = Assets::from_parts(HashMap::new(), MINIFIED.to_owned());
        assert!(assets.template.contains(&format!(
            "<script type=\"module\" nonce=\"{NONCE_PLACEHOLDER}\">"
        )));
        assert!(assets.template.contains(&format!(
            "<meta name=\"{BASE_DOMAIN_META}\" content=\"{BASE_DOMAIN_DEFAULT}\">"
        )));
        assert_eq!(
            assets.stylesheet,
            "<link href=/p.css integrity=sha384-x rel=stylesheet>"
        );
        assert!(assets.template.contains("</head>"));
        assert!(assets
            .template
            .contains(&format!("<div id=\"{ROOT_ELEMENT_ID}\"></div>")));
        assert!(assets
            .template
            .starts_with("<!doctype html><html lang=\"en\">"));
    }
}
