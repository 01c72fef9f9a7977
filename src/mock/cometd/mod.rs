//! Server side of Bayeux 1.0 over long-polling: sessions, channel subscriptions,
//! bounded event queues and held `/meta/connect` requests.
//!
//! Generic over what the channels carry: the Statistics API (`super::statistics`)
//! decides who may connect, which channels exist and what is published on them.
//! The harness's Bayeux *client* lives in `crate::cometd`; nothing is shared
//! with it, so a protocol mistake on one side is not mirrored by the other.

mod message;
mod server;
mod session;

pub use message::{malformed_body_reply, parse_body, CONTENT_TYPE};
pub use server::{new_browser_id, Audience, BayeuxConfig, BayeuxServer, SubscribeHook};
