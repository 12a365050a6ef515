//! The sign-in form: site id and owner token.

use crate::session::Session;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SignInProps {
    /// Prefilled site id.
    pub site: AttrValue,
    /// Why the owner is here again (wrong token, unknown site).
    pub error: Option<String>,
    pub on_sign_in: Callback<Session>,
}

#[component(SignIn)]
pub fn sign_in(props: &SignInProps) -> Html {
    let site = use_node_ref();
    let token = use_node_ref();
    let onsubmit = {
        let (site, token, on_sign_in) = (site.clone(), token.clone(), props.on_sign_in.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            if let Some(s) = Session::from_form(&value(&site), &value(&token)) {
                on_sign_in.emit(s);
            }
        })
    };
    html! {
        <section class="sign-in" aria-labelledby="h-sign-in">
            <h2 id="h-sign-in">{ "Sign in to a site" }</h2>
            <p class="hint">{ "The owner token stays in this browser tab only (session storage) and is sent only to this server. Closing the tab or signing out forgets it." }</p>
            if let Some(error) = &props.error {
                <p class="error" role="alert" id="sign-in-error">{ error.clone() }</p>
            }
            <form class="sign-in-form" {onsubmit}>
                <label for="site">{ "Site id" }</label>
                <input id="site" name="site" type="text" required=true autocomplete="off" spellcheck="false"
                    autocapitalize="none" value={props.site.clone()} ref={site} />
                <label for="token">{ "Owner token" }</label>
                <input id="token" name="token" type="password" required=true autocomplete="off"
                    aria-describedby={props.error.as_ref().map(|_| "sign-in-error")} ref={token} />
                <button type="submit">{ "Open dashboard" }</button>
            </form>
        </section>
    }
}
