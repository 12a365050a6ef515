//! Secrets: random tokens and ids, SHA-256 hashing, constant-time comparison.
//!
//! Owner tokens are shown once and stored only as their SHA-256 hash; a request's token is
//! hashed and compared to the stored hash in constant time.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    get_random_values(&mut buf);
    hex(&buf)
}

/// A new owner token: `eso_` and 256 random bits.
pub fn new_owner_token() -> String {
    format!("eso_{}", random_hex(32))
}

/// A new site id: 12 random hex characters.
pub fn new_site_id() -> String {
    random_hex(6)
}

/// A new webhook signing secret.
pub fn new_webhook_secret() -> String {
    format!("whsec_{}", random_hex(32))
}

/// `X-Earshot-Signature` value: `sha256=` and the hex HMAC-SHA256 of `body` keyed by `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable_key());
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

#[cold]
fn unreachable_key() -> Hmac<Sha256> {
    // HMAC accepts keys of any length; this branch cannot be taken.
    std::process::abort()
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Equality whose time does not depend on where the inputs differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
