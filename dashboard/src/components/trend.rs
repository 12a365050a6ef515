//! The daily trend as SVG: answers per day as bars (the negative share darker) and the CSAT
//! or NPS of each day as a line on its own axis; and the reach per day: prompts shown as bars,
//! the answered ones darker.

use crate::chart::{bars, count_ticks, line, nice_max, path, y_of, Area, LineMetric, ROLLING_DAYS};
use crate::format::one_decimal;
use domain::wire::{DailyPoint, Summary};
use std::rc::Rc;
use yew::prelude::*;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 250.0;
const PLOT: Area = Area {
    x: 48.0,
    y: 14.0,
    width: 620.0,
    height: 200.0,
};
/// Beyond this many days a dot per day is clutter; the line alone reads better.
const MAX_DOTS: usize = 45;

#[derive(Properties, PartialEq)]
pub struct TrendProps {
    pub summary: Rc<Summary>,
}

#[component(Trend)]
pub fn trend(props: &TrendProps) -> Html {
    let s = &props.summary;
    let days = &s.daily;
    if days.iter().all(|d| d.responses == 0) {
        return html! { <p class="empty">{ "No answers in this range." }</p> };
    }
    let counts: Vec<u64> = days.iter().map(|d| d.responses).collect();
    let negatives: Vec<u64> = days.iter().map(|d| d.negative).collect();
    let top = nice_max(counts.iter().copied().max().unwrap_or(0));
    let metric = LineMetric::pick(s);
    let total: u64 = counts.iter().sum();
    let (peak_i, peak) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
        .map(|(i, c)| (i, *c))
        .unwrap_or((0, 0));
    let description = format!(
        "{total} answers from {} to {}, at most {peak} on {}.{}",
        s.from,
        s.to,
        days.get(peak_i).map(|d| d.date.as_str()).unwrap_or(""),
        metric
            .map(|m| format!(
                " The line shows the {} over the last {ROLLING_DAYS} days.",
                m.label()
            ))
            .unwrap_or_default()
    );

    let grid = grid(top);
    let bar_rects = bars(&counts, top, PLOT).into_iter().zip(bars(&negatives, top, PLOT)).zip(days).map(|((b, n), d)| {
        let tip = format!(
            "{}: {} answers, {} negative{}",
            d.date,
            d.responses,
            d.negative,
            metric.and_then(|m| m.value(d).map(|v| format!(", {} {}", m.label(), one_decimal(Some(v))))).unwrap_or_default()
        );
        html! {
            <g class="day">
                <rect class="bar" x={b.x.to_string()} y={b.y.to_string()} width={b.width.to_string()} height={b.height.to_string()}><title>{ tip }</title></rect>
                if n.height > 0.0 {
                    <rect class="bar-negative" x={n.x.to_string()} y={n.y.to_string()} width={n.width.to_string()} height={n.height.to_string()} />
                }
            </g>
        }
    });
    let overlay = metric.map(|m| {
        let (lo, hi, ticks) = m.axis();
        let values = m.rolling(days, ROLLING_DAYS);
        let segments = line(&values, lo, hi, PLOT);
        let right_axis = ticks.iter().map(|t| {
            let y = y_of(*t, lo, hi, PLOT);
            html! { <text class="axis-label line-axis" x={(PLOT.right() + 6.0).to_string()} y={(y + 4.0).to_string()}>{ format!("{t:.0}") }</text> }
        });
        let dots = segments.iter().filter(|seg| days.len() <= MAX_DOTS || seg.len() == 1).flat_map(|seg| seg.iter()).map(|(x, y)| {
            html! { <circle class="dot" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="3" /> }
        });
        html! {
            <g class="overlay">
                { for right_axis }
                { for segments.iter().map(|seg| html! { <path class="line" d={path(seg)} /> }) }
                { for dots }
            </g>
        }
    });
    let x_labels = x_labels(days);
    html! {
        <figure class="chart trend">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-labelledby="trend-title trend-desc" preserveAspectRatio="xMidYMid meet">
                <title id="trend-title">{ "Answers per day" }</title>
                <desc id="trend-desc">{ description }</desc>
                { grid }
                { for bar_rects }
                { for overlay }
                { x_labels }
            </svg>
            <figcaption class="legend">
                <span class="key key-bar" aria-hidden="true"></span>{ "answers per day" }
                <span class="key key-negative" aria-hidden="true"></span>{ "negative" }
                if let Some(m) = metric {
                    <span class="key key-line" aria-hidden="true"></span>{ format!("{}, {ROLLING_DAYS}-day (right axis)", m.label()) }
                }
            </figcaption>
        </figure>
    }
}

/// The horizontal grid lines and the left axis's counts, up to `top`.
fn grid(top: u64) -> Html {
    html! {
        { for count_ticks(top).into_iter().map(|t| {
            let y = y_of(t as f64, 0.0, top as f64, PLOT);
            html! {
                <g class="tick">
                    <line class="grid" x1={PLOT.x.to_string()} x2={PLOT.right().to_string()} y1={y.to_string()} y2={y.to_string()} />
                    <text class="axis-label" x={(PLOT.x - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{ t }</text>
                </g>
            }
        }) }
    }
}

/// The first, middle and last day under the plot.
fn x_labels(days: &[DailyPoint]) -> Html {
    let mid = days.len() / 2;
    let labels = [(0, "start"), (mid, "middle"), (days.len().saturating_sub(1), "end")]
        .into_iter()
        .filter(|(i, _)| *i < days.len())
        .map(|(i, anchor)| {
            let x = match anchor {
                "start" => PLOT.x,
                "end" => PLOT.right(),
                _ => crate::chart::slot_centre(i, days.len(), PLOT),
            };
            html! { <text class="axis-label" x={x.to_string()} y={(PLOT.bottom() + 20.0).to_string()} text-anchor={anchor}>{ days[i].date.clone() }</text> }
        });
    html! { { for labels } }
}

/// Prompts shown per day as bars, the answered ones drawn darker inside them.
#[component(ReachTrend)]
pub fn reach_trend(props: &TrendProps) -> Html {
    let s = &props.summary;
    let days = &s.daily;
    if days.iter().all(|d| d.shown == 0) {
        return html! { <p class="empty">{ "No prompts were shown in this range (or the widget does not report displays yet)." }</p> };
    }
    let shown: Vec<u64> = days.iter().map(|d| d.shown).collect();
    // A day can have answers to prompts shown the day before: never draw past the bar.
    let answered: Vec<u64> = days.iter().map(|d| d.answered.min(d.shown)).collect();
    let top = nice_max(shown.iter().copied().max().unwrap_or(0));
    let description = format!(
        "{} prompts shown from {} to {}: {} answered, {} dismissed.",
        s.reach.shown, s.from, s.to, s.reach.answered, s.reach.dismissed
    );
    let bar_rects = bars(&shown, top, PLOT).into_iter().zip(bars(&answered, top, PLOT)).zip(days).map(|((b, a), d)| {
        let tip = format!("{}: {} shown, {} answered, {} dismissed", d.date, d.shown, d.answered, d.dismissed);
        html! {
            <g class="day">
                <rect class="bar-shown" x={b.x.to_string()} y={b.y.to_string()} width={b.width.to_string()} height={b.height.to_string()}><title>{ tip }</title></rect>
                if a.height > 0.0 {
                    <rect class="bar-answered" x={a.x.to_string()} y={a.y.to_string()} width={a.width.to_string()} height={a.height.to_string()} />
                }
            </g>
        }
    });
    html! {
        <figure class="chart reach-trend">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-labelledby="reach-title reach-desc" preserveAspectRatio="xMidYMid meet">
                <title id="reach-title">{ "Prompts shown and answered per day" }</title>
                <desc id="reach-desc">{ description }</desc>
                { grid(top) }
                { for bar_rects }
                { x_labels(days) }
            </svg>
            <figcaption class="legend">
                <span class="key key-shown" aria-hidden="true"></span>{ "shown" }
                <span class="key key-answered" aria-hidden="true"></span>{ "answered" }
            </figcaption>
        </figure>
    }
}
