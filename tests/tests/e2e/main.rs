//! End-to-end tests: one binary, one module per area. Every test starts its own real worker
//! (wrangler dev → workerd) on a free port with a fresh state folder under `target/e2e/`.

mod alerts;
mod api;
mod browser;
mod corpus;
mod faults;
mod hostile;
mod openapi;
mod owner;
mod raw;
mod shards;
mod util;
mod widget;
