//! Share links: the scenario text and the run's options, deflated and base64url-encoded into
//! the URL fragment (`#s=...`), so a link carries everything and no server stores anything.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// What a link restores.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// The scenario text.
    pub text: String,
    /// Replications, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<u32>,
    /// Seed, as text (all 64 bits), when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// Strategies left out of the run (labels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub off: Vec<String>,
    /// The preset the text came from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
}

/// Largest fragment read back (a scenario of a few hundred KB compresses far below this).
const MAX_FRAGMENT: usize = 2 * 1024 * 1024;
/// Largest text a fragment may inflate to.
const MAX_TEXT: usize = 4 * 1024 * 1024;

/// The fragment for `shared`, without the `#`.
pub fn encode(shared: &Shared) -> String {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    format!("s={}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&json, 9)))
}

/// What a fragment (with or without its `#`) carries; `None` if it is not a share link.
pub fn decode(fragment: &str) -> Option<Shared> {
    let data = fragment.trim_start_matches('#').strip_prefix("s=")?;
    if data.len() > MAX_FRAGMENT {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(data.trim()).ok()?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_TEXT).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_restores_what_it_was_made_from() {
        let shared = Shared {
            text: "name = \"x\"\n[traffic]\nrate = 5 # ünïcode\n".repeat(20),
            runs: Some(40),
            seed: Some("18446744073709551615".into()),
            off: vec!["canary 10% / 5m".into()],
            preset: Some("eb-policies".into()),
        };
        let fragment = encode(&shared);
        assert!(fragment.len() < shared.text.len() / 2, "{}", fragment.len());
        assert!(fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
        assert_eq!(decode(&format!("#{fragment}")), Some(shared));
        assert_eq!(decode("#s=not-deflate"), None);
        assert_eq!(decode("#other"), None);
    }
}
