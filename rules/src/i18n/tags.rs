//! The languages Portico ships, each one's name in itself, and which way it is
//! written (docs/design.md#languages).

/// The languages Portico ships, English first (the default unless `--languages`
/// says otherwise). Each has `i18n/{tag}.json`.
pub const SHIPPED: &[&str] = &[
    "en", "fr", "de", "es", "pt-BR", "it", "nl", "ja", "zh-CN", "ko", "ar", "he",
];

/// Each shipped language's name in itself, for the language menu (each file's
/// `language_name`; a test holds them equal). The page needs every name, but reads
/// only one file.
const AUTONYMS: &[&str] = &[
    "English",
    "Français",
    "Deutsch",
    "Español",
    "Português (Brasil)",
    "Italiano",
    "Nederlands",
    "日本語",
    "简体中文",
    "한국어",
    "العربية",
    "עברית",
];

/// The name of shipped language `tag` in that language (`Français`), else `tag`.
pub fn autonym(tag: &str) -> &str {
    SHIPPED
        .iter()
        .position(|s| *s == tag)
        .map_or(tag, |i| AUTONYMS[i])
}

/// Whether `tag` is written right to left (by its primary language subtag).
pub fn is_rtl(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or("");
    ["ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"]
        .iter()
        .any(|rtl| primary.eq_ignore_ascii_case(rtl))
}

/// `rtl` or `ltr`, for `<html dir>`.
pub fn dir(tag: &str) -> &'static str {
    if is_rtl(tag) {
        "rtl"
    } else {
        "ltr"
    }
}
