//! The themes panel: the words and two-word phrases over-represented in the period's negative
//! comments (`summary.themes`), each with its counts and its adjusted q-value; choosing one
//! lists the period's recent comments that contain it.

use crate::figures::matching_comments;
use domain::wire::{RecentComment, Theme};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ThemesProps {
    pub themes: Vec<Theme>,
    pub comments: Vec<RecentComment>,
}

#[component(Themes)]
pub fn themes(props: &ThemesProps) -> Html {
    let open = use_state(|| None::<String>);
    if props.themes.is_empty() {
        return html! { <p class="empty">{ "No word or phrase stands out in the negative comments of this range (a theme needs at least 3 negative comments and a significant difference)." }</p> };
    }
    let rows = props.themes.iter().map(|t| {
        let chosen = open.as_deref() == Some(t.term.as_str());
        let onclick = {
            let (open, term) = (open.clone(), t.term.clone());
            Callback::from(move |_: MouseEvent| {
                open.set(if chosen { None } else { Some(term.clone()) })
            })
        };
        html! {
            <tr data-term={t.term.clone()}>
                <th scope="row">
                    <button type="button" class="link theme-term" aria-expanded={chosen.to_string()} aria-controls="theme-comments" {onclick}>{ t.term.clone() }</button>
                </th>
                <td class="num">{ t.negative }</td>
                <td class="num">{ t.other }</td>
                <td class="num">{ if t.q_value < 0.001 { "< 0.001".to_string() } else { format!("{:.3}", t.q_value) } }</td>
            </tr>
        }
    });
    let matches = open
        .as_deref()
        .map(|term| (term.to_string(), matching_comments(&props.comments, term)));
    html! {
        <>
            <div class="table-wrap">
                <table class="themes">
                    <caption class="sr-only">{ "Themes: how many negative and other comments contain each term, and its Benjamini–Hochberg adjusted q-value." }</caption>
                    <thead><tr>
                        <th scope="col">{ "Term" }</th>
                        <th scope="col" class="num">{ "Negative comments" }</th>
                        <th scope="col" class="num">{ "Other comments" }</th>
                        <th scope="col" class="num">{ "q" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <div id="theme-comments" aria-live="polite">
                if let Some((term, found)) = matches {
                    <h3>{ format!("Recent comments with “{term}”") }</h3>
                    if found.is_empty() {
                        <p class="empty">{ "None of the recent comments shown here; the export has them all." }</p>
                    } else {
                        <ul class="comments theme-matches">
                            { for found.into_iter().map(|c| html! {
                                <li class={classes!("comment", c.negative.then_some("negative"))} data-id={c.id.clone()}>
                                    <p class="meta"><span class="where">{ c.touchpoint.clone() }</span><span class="score">{ format!("{} {}", c.kind.to_uppercase(), c.score) }</span></p>
                                    <p class="text">{ c.comment.clone() }</p>
                                </li>
                            }) }
                        </ul>
                    }
                }
            </div>
        </>
    }
}
