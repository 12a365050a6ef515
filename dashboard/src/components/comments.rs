//! The recent comments, newest first, negative ones highlighted. A comment is always a text
//! node: whatever a customer typed is shown, never interpreted as HTML.

use crate::format::timestamp;
use domain::wire::RecentComment;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CommentsProps {
    pub comments: Vec<RecentComment>,
    /// Erase the response with this id (already confirmed by the owner).
    pub on_erase: Callback<String>,
}

#[component(Comments)]
pub fn comments(props: &CommentsProps) -> Html {
    if props.comments.is_empty() {
        return html! { <p class="empty">{ "No comments in this range." }</p> };
    }
    html! {
        <ul class="comments">
            { for props.comments.iter().map(|c| html! { <CommentItem key={c.id.clone()} comment={c.clone()} on_erase={props.on_erase.clone()} /> }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct CommentProps {
    pub comment: RecentComment,
    pub on_erase: Callback<String>,
}

#[component(CommentItem)]
pub fn comment_item(props: &CommentProps) -> Html {
    let c = &props.comment;
    let confirming = use_state(|| false);
    let cancel_ref = use_node_ref();
    let erase_ref = use_node_ref();
    // Focus follows the step: onto "Cancel" when asked to confirm, back to "Erase…" after.
    {
        let (cancel_ref, erase_ref, was_asking) =
            (cancel_ref.clone(), erase_ref.clone(), use_mut_ref(|| false));
        use_effect_with(*confirming, move |&asking| {
            let target = if asking {
                Some(cancel_ref)
            } else {
                was_asking.borrow().then_some(erase_ref)
            };
            *was_asking.borrow_mut() = asking;
            if let Some(b) = target.and_then(|r| r.cast::<web_sys::HtmlElement>()) {
                let _ = b.focus();
            }
        });
    }
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let cancel = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let erase = {
        let (on_erase, id, confirming) = (props.on_erase.clone(), c.id.clone(), confirming.clone());
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            on_erase.emit(id.clone());
        })
    };
    let label_id = format!("comment-{}", c.id);
    html! {
        <li class={classes!("comment", c.negative.then_some("negative"))} data-id={c.id.clone()} aria-labelledby={label_id.clone()}>
            <p class="meta" id={label_id}>
                if c.negative { <span class="badge">{ "Negative" }</span> }
                <span class="where">{ c.touchpoint.clone() }</span>
                <span class="score">{ format!("{} {}", c.kind.to_uppercase(), c.score) }</span>
                <time datetime={c.received_at.clone()}>{ timestamp(&c.received_at) }</time>
            </p>
            <p class="text">{ c.comment.clone() }</p>
            if *confirming {
                <div class="confirm" role="group" aria-label="Confirm erasing">
                    <span>{ "Erase this response for good? The figures will be recounted." }</span>
                    <button type="button" class="danger confirm-erase" onclick={erase}>{ "Erase" }</button>
                    <button type="button" class="secondary" ref={cancel_ref} onclick={cancel}>{ "Cancel" }</button>
                </div>
            } else {
                <button type="button" class="secondary erase" ref={erase_ref} onclick={ask}>{ "Erase…" }</button>
            }
        </li>
    }
}
