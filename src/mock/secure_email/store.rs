//! The live secure emails: each one in the mailbox of its consumer's address and
//! securebox, with its read and deleted flags and the userdata it was sent with.
//!
//! The consumer is the sender: POST /securemail sends a consumer's email "delivered to
//! Genesys as a web form" (reference 2105), and the list and count take "the email
//! address of the consumer" (2035, 2183), so a posted email is filed under `from`.
//!
//! Mailboxes are keyed by the address compared without ASCII case (email domains
//! are case-insensitive and mailbox hosts treat local parts so in practice) and
//! by the securebox compared exactly; "no securebox" is a mailbox of its own.
//! Emails are listed oldest first. At most [`MAX_KEPT`] emails are kept; the
//! oldest go first, so a long load run keeps the mock's memory bounded.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use super::super::kernel::clock::MockClock;
use super::super::messaging::InteractionEvents;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

use super::query::{Removal, StatusFilter};

/// Emails kept in all mailboxes together.
pub const MAX_KEPT: usize = 100_000;

/// A mailbox: (address in ASCII lower case, securebox).
type MailboxKey = (String, Option<String>);

/// What POST /securemail received, validated.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// The consumer's address (`data.from`): the mailbox it is filed in (2035, 2105).
    pub from: String,
    /// The address it was written to (`data.to`), when the body names one.
    pub to: Option<String>,
    /// `data.subject`, empty when not sent.
    pub subject: String,
    /// `data.text`: the body.
    pub text: String,
    /// The `securebox` query parameter.
    pub securebox: Option<String>,
    /// `data.userData`, `{}` when not sent.
    pub user_data: Value,
}

/// One stored secure email.
#[derive(Debug, Clone)]
pub struct SecureMail {
    /// The `secureMailId` (a UUID).
    pub id: String,
    /// What was sent.
    pub mail: NewMail,
    /// Read (by GET `read=true` or DELETE with a "read" `remove`).
    pub read: bool,
    /// Marked deleted (DELETE `remove=delete`).
    pub deleted: bool,
    /// When it was sent, RFC 3339 UTC to the second.
    pub timestamp: String,
    seq: u64,
}

impl SecureMail {
    /// The `SecureMail` model as the API answers it.
    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "id": self.id,
            "from": self.mail.from,
            "subject": self.mail.subject,
            "text": self.mail.text,
            "status": if self.read { "read" } else { "unread" },
            "deleted": self.deleted,
            "timestamp": self.timestamp,
        });
        if let Some(to) = &self.mail.to {
            value["to"] = Value::String(to.clone());
        }
        if let Some(securebox) = &self.mail.securebox {
            value["securebox"] = Value::String(securebox.clone());
        }
        value
    }

    fn mailbox(&self) -> MailboxKey {
        // The consumer's mailbox: the sender of a web-form email (reference 2035, 2105).
        mailbox_key(&self.mail.from, self.mail.securebox.as_deref())
    }
}

fn mailbox_key(address: &str, securebox: Option<&str>) -> MailboxKey {
    (address.to_ascii_lowercase(), securebox.map(str::to_owned))
}

/// Mock time as RFC 3339, whole seconds (`2026-01-01T10:00:00Z`).
fn now_rfc3339(clock: &MockClock) -> String {
    let now = clock.now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

#[derive(Debug, Default)]
struct Inner {
    mails: HashMap<String, SecureMail>,
    /// Ids per mailbox, oldest first.
    mailboxes: HashMap<MailboxKey, Vec<String>>,
    /// Ids by sending order, for eviction.
    order: BTreeMap<u64, String>,
    next_seq: u64,
}

impl Inner {
    fn forget(&mut self, id: &str) -> Option<SecureMail> {
        let mail = self.mails.remove(id)?;
        self.order.remove(&mail.seq);
        let key = mail.mailbox();
        if let Some(ids) = self.mailboxes.get_mut(&key) {
            ids.retain(|other| other != id);
            if ids.is_empty() {
                self.mailboxes.remove(&key);
            }
        }
        Some(mail)
    }

    /// The listed (not deleted) emails of a mailbox that pass `filter`, oldest first.
    fn visible<'a>(
        &'a self,
        address: &str,
        securebox: Option<&str>,
        filter: StatusFilter,
    ) -> impl Iterator<Item = &'a SecureMail> + 'a {
        self.mailboxes
            .get(&mailbox_key(address, securebox))
            .into_iter()
            .flatten()
            .filter_map(|id| self.mails.get(id))
            .filter(move |m| !m.deleted && filter.admits(m.read))
    }
}

/// All secure emails of the mock; one mutex, never held across an await.
#[derive(Debug)]
pub struct SecureMailStore {
    inner: Mutex<Inner>,
    clock: MockClock,
    /// Where a sent email is reported as a new interaction.
    pub events: InteractionEvents,
}

impl SecureMailStore {
    /// An empty store.
    pub fn new(clock: MockClock, events: InteractionEvents) -> Arc<SecureMailStore> {
        Arc::new(SecureMailStore {
            inner: Mutex::default(),
            clock,
            events,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Forgets every email (`POST /__cxgate/reset`).
    pub fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// Stores `mail` unread in its consumer's (sender's) mailbox; returns it with its id.
    pub fn send(&self, mail: NewMail) -> SecureMail {
        let mut inner = self.lock();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        let stored = SecureMail {
            id: crate::ids::uuid_v4().to_string(),
            mail,
            read: false,
            deleted: false,
            timestamp: now_rfc3339(&self.clock),
            seq,
        };
        inner
            .mailboxes
            .entry(stored.mailbox())
            .or_default()
            .push(stored.id.clone());
        inner.order.insert(seq, stored.id.clone());
        inner.mails.insert(stored.id.clone(), stored.clone());
        while inner.mails.len() > MAX_KEPT {
            let Some((_, oldest)) = inner.order.pop_first() else {
                break;
            };
            inner.forget(&oldest);
        }
        stored
    }

    /// Up to `count` listed emails of a mailbox from `index` on.
    pub fn list(
        &self,
        address: &str,
        securebox: Option<&str>,
        filter: StatusFilter,
        index: usize,
        count: usize,
    ) -> Vec<SecureMail> {
        self.lock()
            .visible(address, securebox, filter)
            .skip(index)
            .take(count)
            .cloned()
            .collect()
    }

    /// How many listed emails of a mailbox pass `filter`.
    pub fn count(&self, address: &str, securebox: Option<&str>, filter: StatusFilter) -> usize {
        self.lock().visible(address, securebox, filter).count()
    }

    /// The email `id` (deleted ones too), marked read first when `mark_read`.
    pub fn get(&self, id: &str, mark_read: bool) -> Option<SecureMail> {
        let mut inner = self.lock();
        let mail = inner.mails.get_mut(id)?;
        if mark_read {
            mail.read = true;
        }
        Some(mail.clone())
    }

    /// Applies `removal` to the email `id`; returns it as it is afterwards (a
    /// purged email as it was just before).
    pub fn remove(&self, id: &str, removal: Removal) -> Option<SecureMail> {
        let mut inner = self.lock();
        match removal {
            Removal::Purge => inner.forget(id),
            Removal::Read | Removal::Delete => {
                let mail = inner.mails.get_mut(id)?;
                if removal == Removal::Read {
                    mail.read = true;
                } else {
                    mail.deleted = true;
                }
                Some(mail.clone())
            }
        }
    }

    /// The userdata the email `id` was sent with.
    pub fn user_data(&self, id: &str) -> Option<Value> {
        self.lock().mails.get(id).map(|m| m.mail.user_data.clone())
    }
}
