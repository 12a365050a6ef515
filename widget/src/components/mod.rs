//! The prompt's view: presentational view functions that take their data and `Callback`s and
//! draw; the container ([`crate::app`]) holds the state and decides.

pub mod prompt;
pub mod scale;
