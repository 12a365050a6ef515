//! The prompt's view: small presentational components with `Properties` and `Callback`s.

pub mod prompt;
pub mod scale;
