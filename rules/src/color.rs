//! Colours: the docs/design.md#the-directory hex rule, WCAG contrast, and the theme the page derives from an
//! organization's branding (docs/design.md#theming). The page applies `Theme::css_vars` with
//! `style.setProperty`; nothing here ever produces CSS text from tenant input, only
//! `#rrggbb` strings formatted from parsed numbers.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const BLACK: Rgb = Rgb::new(0, 0, 0);
    pub const WHITE: Rgb = Rgb::new(255, 255, 255);

    pub const fn new(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }

    /// `#rrggbb`, lower case.
    pub fn to_hex(self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(7);
        s.push('#');
        for v in [self.r, self.g, self.b] {
            s.push(DIGITS[(v >> 4) as usize] as char);
            s.push(DIGITS[(v & 15) as usize] as char);
        }
        s
    }

    /// WCAG 2.x relative luminance.
    pub fn luminance(self) -> f64 {
        fn channel(v: u8) -> f64 {
            let c = v as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                pow_2_4((c + 0.055) / 1.055)
            }
        }
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// Mixes `self` towards `other` by `t` in 0..=1.
    fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
        Rgb::new(m(self.r, other.r), m(self.g, other.g), m(self.b, other.b))
    }
}

/// `x` to the power 2.4, for `x` in (0, 1]: x² · x^0.4, with x^0.4 from the binary
/// expansion of 0.4 (0.0110 0110…₂) as a product of repeated square roots. A square
/// root is one WebAssembly instruction; `powf` pulls libm's `pow` into the page
/// (about 2 KB). Agrees with `powf` to 1e-12 on every 8-bit channel (test).
fn pow_2_4(x: f64) -> f64 {
    let mut root = x;
    let mut out = x * x;
    for bit in 1..=52 {
        root = root.sqrt();
        if bit % 4 == 2 || bit % 4 == 3 {
            out *= root;
        }
    }
    out
}

/// WCAG contrast ratio between two colours, 1.0 ..= 21.0.
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// A colour that passed the rule (docs/design.md#the-directory) `^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`. Keeps the
/// text it was parsed from, so the API echoes exactly what the administrator sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexColor {
    rgb: Rgb,
    text: String,
}

impl HexColor {
    /// The rule's message, for API errors.
    pub const RULE: &'static str = "must be a hex colour like #1a2b3c or #abc";

    /// Exactly `#rgb` or `#rrggbb` in ASCII hex digits: no names, no `rgb()`, no
    /// whitespace, no trailing newline, no fullwidth digits.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        const MSG: &str = HexColor::RULE;
        let digits = s.strip_prefix('#').ok_or(MSG)?.as_bytes();
        let hex = |b: u8| -> Result<u8, &'static str> {
            match b {
                b'0'..=b'9' => Ok(b - b'0'),
                b'a'..=b'f' => Ok(b - b'a' + 10),
                b'A'..=b'F' => Ok(b - b'A' + 10),
                _ => Err(MSG),
            }
        };
        let rgb = match digits.len() {
            3 => {
                let (r, g, b) = (hex(digits[0])?, hex(digits[1])?, hex(digits[2])?);
                Rgb::new(r * 17, g * 17, b * 17)
            }
            6 => {
                let byte =
                    |i: usize| Ok::<u8, &'static str>(hex(digits[i])? * 16 + hex(digits[i + 1])?);
                Rgb::new(byte(0)?, byte(2)?, byte(4)?)
            }
            _ => return Err(MSG),
        };
        Ok(Self {
            rgb,
            text: s.to_owned(),
        })
    }

    pub fn rgb(&self) -> Rgb {
        self.rgb
    }

    /// The colour as it was written (`#ABC` stays `#ABC`).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for HexColor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for HexColor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        HexColor::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The card the login form sits on, in light and dark mode (style/portico.css uses
/// the same values).
pub const CARD_LIGHT: Rgb = Rgb::new(0xff, 0xff, 0xff);
pub const CARD_DARK: Rgb = Rgb::new(0x1c, 0x1d, 0x22);
/// Portico's own colours, used when an organization has no (valid) branding.
pub const DEFAULT_PRIMARY: Rgb = Rgb::new(0x4f, 0x46, 0xe5);
pub const DEFAULT_PAGE_BG: Rgb = Rgb::new(0xee, 0xf0, 0xf4);

/// Contrast below which the primary colour is not used as-is on the card (docs/design.md#theming).
pub const MIN_UI_CONTRAST: f64 = 3.0;
/// Contrast the derived text shade and the on-primary text reach (WCAG AA text).
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// Everything the page's look depends on, derived from branding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub primary: Rgb,
    pub page_bg: Rgb,
    /// Black or white, whichever contrasts more with `primary` (always ≥ 4.5:1).
    pub on_primary: Rgb,
    /// Primary for text-like uses (links, focus ring) on the light card.
    pub accent_light: Rgb,
    /// The same on the dark card.
    pub accent_dark: Rgb,
    /// Text colour for anything drawn directly on the page background.
    pub on_page_bg: Rgb,
}

impl Default for Theme {
    fn default() -> Self {
        Self::new(DEFAULT_PRIMARY, DEFAULT_PAGE_BG)
    }
}

impl Theme {
    pub fn new(primary: Rgb, page_bg: Rgb) -> Self {
        Self {
            primary,
            page_bg,
            on_primary: best_text_on(primary),
            accent_light: readable_on(primary, CARD_LIGHT),
            accent_dark: readable_on(primary, CARD_DARK),
            on_page_bg: best_text_on(page_bg),
        }
    }

    /// The CSS custom properties to set on the document root, in this order.
    pub fn css_vars(&self) -> [(&'static str, String); 8] {
        [
            ("--portico-primary", self.primary.to_hex()),
            ("--portico-page-bg", self.page_bg.to_hex()),
            ("--portico-on-primary", self.on_primary.to_hex()),
            ("--portico-accent-light", self.accent_light.to_hex()),
            ("--portico-accent-dark", self.accent_dark.to_hex()),
            ("--portico-focus-ring", self.accent_light.to_hex()),
            ("--portico-focus-ring-dark", self.accent_dark.to_hex()),
            ("--portico-on-page-bg", self.on_page_bg.to_hex()),
        ]
    }
}

fn best_text_on(bg: Rgb) -> Rgb {
    if contrast_ratio(Rgb::BLACK, bg) >= contrast_ratio(Rgb::WHITE, bg) {
        Rgb::BLACK
    } else {
        Rgb::WHITE
    }
}

/// `color` itself when it reaches 3:1 on `card`; otherwise the nearest darker (light
/// card) or lighter (dark card) shade that reaches 4.5:1, so text in it is readable.
fn readable_on(color: Rgb, card: Rgb) -> Rgb {
    if contrast_ratio(color, card) >= MIN_UI_CONTRAST {
        return color;
    }
    let towards = if card.luminance() > 0.5 {
        Rgb::BLACK
    } else {
        Rgb::WHITE
    };
    (1..=20)
        .map(|step| color.mix(towards, step as f64 / 20.0))
        .find(|c| contrast_ratio(*c, card) >= MIN_TEXT_CONTRAST)
        .unwrap_or(towards)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Rgb {
        HexColor::parse(s).unwrap().rgb()
    }

    #[test]
    fn hex_rule_is_exact() {
        assert_eq!(hex("#fff"), Rgb::WHITE);
        assert_eq!(hex("#FF0000"), Rgb::new(255, 0, 0));
        assert_eq!(hex("#0a0B0c"), Rgb::new(10, 11, 12));
        for bad in [
            "red",
            "#ffff",
            "#fffff",
            "fff",
            "#fff\n",
            " #fff",
            "#ggg",
            "#ｆｆｆ",
            "#fff;background:url(https://x)",
            "#000}</style><script>",
            "rgb(0,0,0)",
            "#",
            "",
        ] {
            assert!(HexColor::parse(bad).is_err(), "{bad:?}");
        }
        assert!(HexColor::parse(&"#".repeat(1 << 20)).is_err());
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((contrast_ratio(Rgb::BLACK, Rgb::WHITE) - 21.0).abs() < 1e-9);
        for v in 11..=255u8 {
            let x = (v as f64 / 255.0 + 0.055) / 1.055;
            let (ours, libm) = (pow_2_4(x), x.powf(2.4));
            assert!((ours - libm).abs() <= 1e-12 * libm, "{v}: {ours} vs {libm}");
        }
        assert!((contrast_ratio(Rgb::WHITE, Rgb::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let r = contrast_ratio(hex("#767676"), Rgb::WHITE);
        assert!((r - 4.54).abs() < 0.01, "{r}");
    }

    #[test]
    fn on_primary_always_reaches_text_contrast() {
        for c in [
            "#000", "#fff", "#ff0", "#777", "#0059d6", "#e11d48", "#22c55e", "#808080",
        ] {
            let t = Theme::new(hex(c), Rgb::WHITE);
            assert!(
                contrast_ratio(t.on_primary, t.primary) >= MIN_TEXT_CONTRAST,
                "{c}"
            );
        }
        assert_eq!(
            Theme::new(hex("#ffff00"), Rgb::WHITE).on_primary,
            Rgb::BLACK
        );
        assert_eq!(
            Theme::new(hex("#0000aa"), Rgb::WHITE).on_primary,
            Rgb::WHITE
        );
    }

    #[test]
    fn accent_is_primary_when_it_passes_and_a_readable_shade_otherwise() {
        let navy = hex("#123a7a");
        assert_eq!(Theme::new(navy, Rgb::WHITE).accent_light, navy);
        let yellow = hex("#ffe600");
        let t = Theme::new(yellow, Rgb::WHITE);
        assert_ne!(t.accent_light, yellow);
        assert!(contrast_ratio(t.accent_light, CARD_LIGHT) >= MIN_TEXT_CONTRAST);
        // Yellow is fine on the dark card, navy is not.
        assert_eq!(t.accent_dark, yellow);
        let t = Theme::new(navy, Rgb::WHITE);
        assert!(contrast_ratio(t.accent_dark, CARD_DARK) >= MIN_TEXT_CONTRAST);
        // Every hue and lightness ends readable on both cards.
        for v in (0..=255).step_by(17) {
            for c in [
                Rgb::new(v, v, v),
                Rgb::new(v, 0, 255 - v),
                Rgb::new(255, v, 0),
            ] {
                let t = Theme::new(c, Rgb::WHITE);
                assert!(contrast_ratio(t.accent_light, CARD_LIGHT) >= MIN_UI_CONTRAST);
                assert!(contrast_ratio(t.accent_dark, CARD_DARK) >= MIN_UI_CONTRAST);
            }
        }
    }
}
