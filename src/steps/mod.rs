//! The cucumber World and the step library, one file per domain.
//!
//! A step returns `Err(message)` to fail; the message says what was sent, what was
//! expected and what came back. The feature file and line are added by the report.

mod auth;
mod cleanup;
mod control;
mod envelope;
mod http;
mod messaging;
mod placeholders;
mod statistics;
mod udm;
mod world;

pub use world::{CometdSession, CxWorld, RunContext};
