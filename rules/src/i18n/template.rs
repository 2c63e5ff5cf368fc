//! Translated templates: our words and `{placeholder}`s, read once here; the page, the
//! server and plain text each write the parts their own way.

/// One piece of a template: our own words, or a `{placeholder}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// `"Log in to {organization}"` as `[Text("Log in to "), Placeholder("organization")]`.
/// A `{` without a closing `}` is text.
pub fn segments(template: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            out.push(Segment::Text(&rest[..open]));
        }
        out.push(Segment::Placeholder(&rest[open + 1..open + len]));
        rest = &rest[open + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// `template` with each `{name}` replaced by its value in `args` (unknown ones stay
/// as they are). For text without tenant parts; the page and the server build tenant
/// parts from `segments` themselves (inside `<bdi>`).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    segments(template)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t.to_owned(),
            Segment::Placeholder(p) => args
                .iter()
                .find(|(k, _)| *k == p)
                .map_or_else(|| ["{", p, "}"].concat(), |(_, v)| (*v).to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        use Segment::*;
        assert_eq!(
            segments("Log in to {organization} to continue to {application}"),
            [
                Text("Log in to "),
                Placeholder("organization"),
                Text(" to continue to "),
                Placeholder("application")
            ]
        );
        assert_eq!(
            segments("{connection}…"),
            [Placeholder("connection"), Text("…")]
        );
        assert_eq!(segments("a { b"), [Text("a { b")]);
        assert_eq!(segments(""), []);
        assert_eq!(
            fill("wait {seconds} s ({x})", &[("seconds", "5")]),
            "wait 5 s ({x})"
        );
    }
}
