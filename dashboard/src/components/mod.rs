//! The page's views: small components with `Properties` and `Callback`s; none of them talks
//! to the network.

pub mod cards;
pub mod cases;
pub mod comments;
pub mod distribution;
pub mod export;
pub mod filters;
pub mod recovery;
pub mod settings;
pub mod sign_in;
pub mod themes;
pub mod touchpoints;
pub mod trend;
