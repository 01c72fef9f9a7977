//! One Bayeux client session: who owns it, its channels, its event queue, its held connect.

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Notify;
use tokio::time::Instant;

/// How a session ended, as seen by a connect still waiting on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Still live.
    Live,
    /// The client sent `/meta/disconnect`.
    Disconnected,
    /// Dropped by the server (max interval passed, or a control-plane reset).
    Dropped,
}

/// Wakes the held connect of one session; outlives the session so a waiter can
/// still learn how it ended.
#[derive(Debug, Default)]
pub struct Signal {
    notify: Notify,
    ending: AtomicU8,
}

impl Signal {
    /// Wakes every waiter (they re-check the session under the lock).
    pub fn wake(&self) {
        self.notify.notify_waiters();
    }

    /// The notifier waiters register with before checking the session.
    pub fn notify(&self) -> &Notify {
        &self.notify
    }

    /// Records the ending and wakes the waiters.
    pub fn end(&self, ending: Ending) {
        let code = match ending {
            Ending::Live => 0,
            Ending::Disconnected => 1,
            Ending::Dropped => 2,
        };
        self.ending.store(code, Ordering::SeqCst);
        self.wake();
    }

    /// How the session ended, or [`Ending::Live`].
    pub fn ending(&self) -> Ending {
        match self.ending.load(Ordering::SeqCst) {
            1 => Ending::Disconnected,
            2 => Ending::Dropped,
            _ => Ending::Live,
        }
    }
}

/// A live session.
#[derive(Debug)]
pub struct Session {
    /// The principal (bearer token's user) that handshook.
    pub owner: String,
    /// The `BAYEUX_BROWSER` id of the client that handshook; a new session of the
    /// same browser inherits what was bound to a dropped one.
    pub browser: String,
    /// Channels it subscribed to.
    pub channels: BTreeSet<String>,
    /// Events waiting for the next connect reply, oldest first.
    pub queue: VecDeque<Value>,
    /// Events dropped because the queue was full.
    pub dropped: u64,
    /// Wakes the held connect.
    pub signal: Arc<Signal>,
    /// Connects received so far (the first one is always answered at once).
    pub connects: u64,
    /// Ticket of the outstanding (held) connect, if any.
    pub held: Option<u64>,
    /// Next connect ticket.
    pub next_ticket: u64,
    /// When the last connect was answered (or the handshake, before any);
    /// only meaningful while `held` is `None`.
    pub idle_since: Instant,
}

impl Session {
    /// A fresh session owned by `owner`.
    pub fn new(owner: &str, browser: &str) -> Session {
        Session {
            owner: owner.to_owned(),
            browser: browser.to_owned(),
            channels: BTreeSet::new(),
            queue: VecDeque::new(),
            dropped: 0,
            signal: Arc::new(Signal::default()),
            connects: 0,
            held: None,
            next_ticket: 0,
            idle_since: Instant::now(),
        }
    }

    /// Queues `event`, dropping the oldest when `max` are already waiting.
    /// Returns whether one was dropped.
    pub fn enqueue(&mut self, event: Value, max: usize) -> bool {
        let mut dropped = false;
        while self.queue.len() >= max.max(1) {
            self.queue.pop_front();
            self.dropped += 1;
            dropped = true;
        }
        self.queue.push_back(event);
        self.signal.wake();
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_full_queue_drops_the_oldest_event_and_counts_it() {
        let mut session = Session::new("u", "b");
        for i in 0..3 {
            session.enqueue(json!(i), 2);
        }
        assert_eq!(session.queue, VecDeque::from(vec![json!(1), json!(2)]));
        assert_eq!(session.dropped, 1);
    }
}
