//! End-to-end tests: one binary, one module per area. Every test starts its own real worker
//! (wrangler dev → workerd) on a free port with a fresh state folder under `target/e2e/`.

mod alerts;
mod alerts_v11;
mod api;
mod auth;
mod browser;
mod cases;
mod concurrency;
mod contact;
mod corpus;
mod dashboard;
mod demo;
mod deploy;
mod displays;
mod faults;
mod hostile;
mod location;
mod offline;
mod openapi;
mod openapi_patterns;
mod owner;
mod phone;
mod prefetch;
mod privacy;
mod raw;
mod restore;
mod shards;
mod util;
mod wasm_size;
mod widget;
mod widget_loop;
