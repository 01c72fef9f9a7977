//! Bayeux 1.0 over HTTP long-polling: message types and a client state machine
//! (handshake, connect loop honouring advice, subscribe, unsubscribe, re-handshake and
//! re-subscribe after `402`, disconnect). Imports nothing else of the crate.

mod client;
mod message;

pub use client::{BayeuxClient, CometdError, EventLog, LoopStats, ReceivedEvent, RunningClient};
pub use message::{Advice, Message};
