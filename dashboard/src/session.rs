//! Who is signed in: the site id and the owner token, kept in `sessionStorage` only — they
//! last as long as the tab, never reach `localStorage`, a cookie or the URL.

const SITE_KEY: &str = "earshot-dashboard:site";
const TOKEN_KEY: &str = "earshot-dashboard:token";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub site: String,
    pub token: String,
}

impl Session {
    /// A session from what the owner typed (surrounding spaces dropped), if both are there.
    pub fn from_form(site: &str, token: &str) -> Option<Session> {
        let (site, token) = (site.trim(), token.trim());
        (!site.is_empty() && !token.is_empty()).then(|| Session {
            site: site.to_string(),
            token: token.to_string(),
        })
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The session of this tab, if the owner signed in earlier.
pub fn load() -> Option<Session> {
    let s = storage()?;
    let site = s.get_item(SITE_KEY).ok()??;
    let token = s.get_item(TOKEN_KEY).ok()??;
    Session::from_form(&site, &token)
}

pub fn save(session: &Session) {
    if let Some(s) = storage() {
        let _ = s.set_item(SITE_KEY, &session.site);
        let _ = s.set_item(TOKEN_KEY, &session.token);
    }
}

/// Forgets the token; the site id stays in the form for convenience only while the page lives.
pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(SITE_KEY);
        let _ = s.remove_item(TOKEN_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn both_fields_are_needed() {
        assert_eq!(
            Session::from_form(" demo ", " eso_1 "),
            Some(Session {
                site: "demo".into(),
                token: "eso_1".into()
            })
        );
        assert_eq!(Session::from_form("demo", "  "), None);
        assert_eq!(Session::from_form("", "eso_1"), None);
    }
}
