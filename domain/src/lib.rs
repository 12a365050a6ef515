//! Earshot's pure core.
//!
//! Everything that decides something lives here: the v1 wire types ([`wire`]), the rating
//! kinds and their fixed scales ([`kind`]), validation of an ingest body into a [`Response`]
//! ([`ingest`]), counting and metrics with confidence intervals ([`metrics`]), the summary
//! built from rollup rows ([`summary`]), UTC calendar arithmetic ([`calendar`]) and whether to
//! show a prompt now, given the throttle window and sampling ([`throttle`]); prompt displays and
//! reach ([`display`]) and the comparison with the previous period, with significance tests
//! ([`compare`]).
//!
//! This crate performs no I/O, reads no clock and draws no random numbers: the time and any
//! randomness are passed in by the caller (the `edge` worker or the `widget`). That keeps every
//! rule testable with plain `cargo test` and shared by both adapters without duplication.

pub mod alert;
pub mod attributes;
pub mod calendar;
pub mod case_rollup;
pub mod compare;
pub mod digest;
pub mod display;
pub mod error;
pub mod export;
pub mod ingest;
pub mod kind;
pub mod limits;
pub mod metrics;
pub mod rate;
pub mod recovery;
pub mod settings;
pub mod site;
pub mod spike;
pub mod stats;
pub mod summary;
pub mod themes;
pub mod throttle;
pub mod wire;

pub use attributes::Attributes;
pub use error::{Code, Fault};
pub use ingest::{decode_ingest, Response};
pub use kind::Kind;
