//! The score distribution of each kind that has answers, as small SVG bar charts; negative
//! points (the product's thresholds, from `domain`) are marked and drawn in a warm colour.

use crate::chart::{bars, Area};
use crate::figures::{count, distribution, point_label};
use domain::wire::Summary;
use domain::Kind;
use std::rc::Rc;
use yew::prelude::*;

const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 150.0;
const PLOT: Area = Area {
    x: 8.0,
    y: 18.0,
    width: 284.0,
    height: 100.0,
};

#[derive(Properties, PartialEq)]
pub struct DistributionsProps {
    pub summary: Rc<Summary>,
}

fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::Csat => "CSAT (1–5)",
        Kind::Nps => "NPS (0–10)",
        Kind::Ces => "CES (1–7)",
        Kind::Stars => "Stars (1–5)",
        Kind::Thumbs => "Thumbs",
    }
}

#[component(Distributions)]
pub fn distributions(props: &DistributionsProps) -> Html {
    let s = &props.summary;
    let kinds: Vec<Kind> = Kind::ALL.into_iter().filter(|k| count(*k, s) > 0).collect();
    if kinds.is_empty() {
        return html! { <p class="empty">{ "No answers in this range." }</p> };
    }
    html! {
        <div class="distributions">
            { for kinds.into_iter().map(|kind| chart(kind, &distribution(kind, s))) }
        </div>
    }
}

fn chart(kind: Kind, points: &[(u8, u64)]) -> Html {
    let counts: Vec<u64> = points.iter().map(|(_, c)| *c).collect();
    // No axis here (each bar is labelled), so the tallest bar takes the full height.
    let top = counts.iter().copied().max().unwrap_or(0).max(1);
    let id = format!("dist-{kind}");
    let words = points
        .iter()
        .map(|(p, c)| format!("{}: {c}", point_label(kind, *p)))
        .collect::<Vec<_>>()
        .join(", ");
    let columns = bars(&counts, top, PLOT).into_iter().zip(points).map(|(b, (p, c))| {
        let negative = kind.is_negative(*p);
        let centre = b.x + b.width / 2.0;
        html! {
            <g class={classes!("point", negative.then_some("negative"))} data-point={p.to_string()}>
                <rect class="bar" x={b.x.to_string()} y={b.y.to_string()} width={b.width.to_string()} height={b.height.to_string()} />
                <text class="count" x={centre.to_string()} y={(b.y - 4.0).to_string()} text-anchor="middle">{ c }</text>
                <text class="axis-label" x={centre.to_string()} y={(PLOT.bottom() + 16.0).to_string()} text-anchor="middle">{ point_label(kind, *p) }</text>
            </g>
        }
    });
    html! {
        <figure class="chart distribution" data-kind={kind.as_str()}>
            <figcaption id={id.clone()}>{ title(kind) }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-labelledby={id} aria-describedby={format!("dist-{kind}-desc")}>
                <desc id={format!("dist-{kind}-desc")}>{ format!("Answers per score: {words}. Negative scores are drawn in orange.") }</desc>
                <line class="baseline" x1={PLOT.x.to_string()} x2={(PLOT.x + PLOT.width).to_string()} y1={PLOT.bottom().to_string()} y2={PLOT.bottom().to_string()} />
                { for columns }
            </svg>
        </figure>
    }
}
