//! The caller identity store: passwords, access and refresh tokens, authorization codes,
//! on the shared mock clock.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use subtle::ConstantTimeEq;

use super::clock::MockClock;
use super::seed::IdentitySeed;

/// Who an access token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A user, by full name (`tenant\user`).
    User(String),
    /// The client itself (client_credentials grant); the client ID is on the token.
    Client,
}

/// A token the server answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The new access token (UUID v4).
    pub access_token: String,
    /// The refresh token, absent for client_credentials and the implicit grant.
    pub refresh_token: Option<String>,
    /// Whole seconds until the access token expires, on the mock clock.
    pub expires_in: u64,
}

/// What a valid bearer token resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The access token itself.
    pub token: String,
    /// Who it speaks for.
    pub principal: Principal,
    /// The client it was issued to.
    pub client_id: String,
    /// Expiry in Unix seconds, on the mock clock.
    pub expires_at_secs: u64,
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejection {
    /// Unknown or revoked.
    Invalid,
    /// Known but past its expiry on the mock clock.
    Expired,
}

#[derive(Debug, Clone)]
struct AccessToken {
    principal: Principal,
    client_id: String,
    expires_ms: u64,
    refresh_token: Option<Id>,
    /// The sign-out epoch of its owner when it was issued: a global sign-out moves the
    /// epoch on, which ends every token issued before it at once.
    epoch: u64,
    /// The (client, principal) whose per-user cap it counts against.
    cap: std::sync::Arc<str>,
}

#[derive(Debug, Clone)]
struct RefreshToken {
    principal: Principal,
    client_id: String,
    epoch: u64,
    /// The access token last issued with it: the only one still live, since each
    /// refresh revokes the one before.
    latest: Option<Id>,
    cap: std::sync::Arc<str>,
}

#[derive(Debug, Clone)]
struct AuthCode {
    client_id: String,
    username: String,
    redirect_uri: String,
    expires_ms: u64,
}

/// Tokens of one (client, principal), oldest first, for the per-user cap. Entries of
/// tokens removed since are skipped when met and dropped when the queue is compacted,
/// so every operation costs the same however many tokens the store holds.
#[derive(Debug, Default)]
struct CapQueue {
    order: VecDeque<Id>,
    /// How many of `order` are still in the store.
    live: usize,
}

/// Expiry times in issue order (every token of a store has the same lifetime, so issue
/// order is expiry order), each entry met once by the sweep.
type ExpiryQueue = VecDeque<(u64, Id)>;

/// A token or code: a UUID v4 kept as its 128 bits, so that map keys and queue entries
/// hash and compare in place (no string to follow, count or free). Clients see it in
/// the canonical lowercase hyphenated form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Id(u128);

impl Id {
    fn new() -> Id {
        Id(crate::ids::uuid_v4().as_u128())
    }

    /// The id that `text` names, when `text` is exactly as this store writes ids; any
    /// other text (another case, braces, a URN) names no token.
    fn parse(text: &str) -> Option<Id> {
        let uuid = uuid::Uuid::try_parse(text).ok()?;
        let mut buffer = uuid::Uuid::encode_buffer();
        (uuid.hyphenated().encode_lower(&mut buffer) == text).then_some(Id(uuid.as_u128()))
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        uuid::Uuid::from_u128(self.0).hyphenated().fmt(f)
    }
}

/// The maps of tokens, codes, caps and epochs hash with foldhash (randomly seeded per
/// process), which costs a fraction of SipHash on the grant path.
type Hasher = foldhash::fast::RandomState;
type Map<V> = HashMap<Id, V, Hasher>;

#[derive(Debug, Default)]
struct Inner {
    access: Map<AccessToken>,
    refresh: Map<RefreshToken>,
    codes: Map<AuthCode>,
    /// The global sign-out epoch of each user (`user:NAME`) and client (`client:ID`)
    /// that ever signed out globally.
    epochs: HashMap<String, u64, Hasher>,
    /// Access tokens and codes by expiry, to move them to the expired queues.
    access_expiry: ExpiryQueue,
    code_expiry: ExpiryQueue,
    /// Expired access tokens and codes still kept, oldest first, so that they are told
    /// apart from unknown ones for a while.
    access_expired: ExpiryQueue,
    code_expired: ExpiryQueue,
    access_caps: HashMap<std::sync::Arc<str>, CapQueue, Hasher>,
    refresh_caps: HashMap<std::sync::Arc<str>, CapQueue, Hasher>,
}

/// Access (and refresh) tokens kept per (client, principal). A load test that signs the
/// same user in millions of times would otherwise grow the mock without bound; past the
/// cap the oldest token of that user is revoked (and its refresh token dropped), as a
/// server with a per-user session limit would. The cap sits far above what 1,000
/// concurrent sessions of one user need (measured: a cap of 1,000 failed a third of a
/// 1,000-user run's requests).
const MAX_TOKENS_PER_OWNER: usize = 100_000;

/// How long an expired token or code is kept, so it is still told apart from an
/// unknown one ...
const EXPIRED_GRACE_MS: u64 = 3_600_000;
/// ... and how many are kept at most, so a sustained load of short-lived tokens keeps
/// the mock's memory flat.
const EXPIRED_KEPT: usize = 10_000;

/// Shared state behind every handler (`Arc<MockState>`).
///
/// One `std::sync::Mutex` guards everything; it is never held across an `.await`, a
/// poisoned lock is recovered rather than panicking, and no operation under it grows
/// with the number of tokens held (each is a few map operations, plus queue work
/// amortised over the tokens it is for).
#[derive(Debug)]
pub struct MockState {
    config: IdentitySeed,
    clock: MockClock,
    inner: Mutex<Inner>,
    /// Users' current passwords, apart from the tokens: checking a password never waits
    /// for a grant.
    passwords: Mutex<HashMap<String, String>>,
}

fn seeded_passwords(config: &IdentitySeed) -> HashMap<String, String> {
    config
        .users
        .iter()
        .map(|u| (u.username.clone(), u.password.clone()))
        .collect()
}

fn secret_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// The key a global sign-out ends: a user across every client, a client's own tokens.
fn sign_out_key(principal: &Principal, client_id: &str) -> String {
    match principal {
        Principal::User(name) => format!("user:{name}"),
        Principal::Client => format!("client:{client_id}"),
    }
}

/// The key of the per-user cap.
fn cap_key(principal: &Principal, client_id: &str) -> std::sync::Arc<str> {
    match principal {
        Principal::User(name) => format!("{client_id}|user|{name}").into(),
        Principal::Client => format!("{client_id}|client").into(),
    }
}

/// What one grant issues, made before the store's lock is taken so that the lock covers
/// map work only: the owner, the new access token's id and the key of the owner's cap.
struct Grant<'a> {
    principal: Principal,
    client_id: &'a str,
    cap: std::sync::Arc<str>,
    access: Id,
}

impl<'a> Grant<'a> {
    fn new(principal: Principal, client_id: &'a str) -> Grant<'a> {
        Grant {
            cap: cap_key(&principal, client_id),
            access: Id::new(),
            principal,
            client_id,
        }
    }
}

impl CapQueue {
    fn push(&mut self, token: Id) {
        self.order.push_back(token);
        self.live += 1;
    }

    /// The oldest tokens past the cap, taken off the queue; `present` tells which
    /// entries are still in the store.
    /// The caller removes them from the store, which counts them off `live`.
    fn over_cap(&mut self, present: &dyn Fn(Id) -> bool) -> Vec<Id> {
        let excess = self.live.saturating_sub(MAX_TOKENS_PER_OWNER);
        let mut out = Vec::with_capacity(excess);
        while out.len() < excess {
            match self.order.pop_front() {
                Some(token) if present(token) => out.push(token),
                Some(_) => {}
                None => break,
            }
        }
        // Entries of removed tokens are dropped once they are half the queue.
        if self.order.len() > 2 * (self.live - out.len()) + 64 {
            self.order.retain(|t| present(*t));
        }
        out
    }
}

/// Moves the entries of `expiry` due by `now` whose token is still `present` to
/// `expired`.
fn move_due(
    expiry: &mut ExpiryQueue,
    expired: &mut ExpiryQueue,
    present: &dyn Fn(Id) -> bool,
    now: u64,
) {
    while expiry.front().is_some_and(|(at, _)| *at <= now) {
        if let Some(entry) = expiry.pop_front() {
            if present(entry.1) {
                expired.push_back(entry);
            }
        }
    }
}

/// The oldest expired entry, when it is past the grace or past the count kept.
fn pop_stale(expired: &mut ExpiryQueue, now: u64) -> Option<Id> {
    let stale = expired.front().is_some_and(|(at, _)| {
        expired.len() > EXPIRED_KEPT || at.saturating_add(EXPIRED_GRACE_MS) <= now
    });
    stale
        .then(|| expired.pop_front().map(|(_, id)| id))
        .flatten()
}

/// Drops the entries of tokens removed before they expired, once they are half of
/// `expiry` (`live` tokens are left).
fn compact(expiry: &mut ExpiryQueue, live: usize, present: &dyn Fn(Id) -> bool) {
    if expiry.len() > 2 * live + 1024 {
        expiry.retain(|(_, id)| present(*id));
    }
}

impl Inner {
    /// The global sign-out epoch of `principal` (0 until its first global sign-out).
    fn epoch(&self, principal: &Principal, client_id: &str) -> u64 {
        if self.epochs.is_empty() {
            return 0;
        }
        let key = sign_out_key(principal, client_id);
        self.epochs.get(&key).copied().unwrap_or(0)
    }

    /// Moves what expired by `now` to the expired queues, and drops expired tokens and
    /// codes past the grace or past the count kept. Each token passes each queue once.
    fn sweep(&mut self, now: u64) {
        let access = &self.access;
        move_due(
            &mut self.access_expiry,
            &mut self.access_expired,
            &|t| access.contains_key(&t),
            now,
        );
        let codes = &self.codes;
        move_due(
            &mut self.code_expiry,
            &mut self.code_expired,
            &|c| codes.contains_key(&c),
            now,
        );
        while let Some(token) = pop_stale(&mut self.access_expired, now) {
            if self.access.get(&token).is_some_and(|t| t.expires_ms <= now) {
                self.remove_access(token);
            }
        }
        while let Some(code) = pop_stale(&mut self.code_expired, now) {
            if self.codes.get(&code).is_some_and(|c| c.expires_ms <= now) {
                self.codes.remove(&code);
            }
        }
        let access = &self.access;
        compact(&mut self.access_expiry, access.len(), &|t| {
            access.contains_key(&t)
        });
        let codes = &self.codes;
        compact(&mut self.code_expiry, codes.len(), &|c| {
            codes.contains_key(&c)
        });
    }

    /// Removes an access token (revoked, evicted or long expired).
    fn remove_access(&mut self, token: Id) -> Option<AccessToken> {
        let removed = self.access.remove(&token)?;
        if let Some(cap) = self.access_caps.get_mut(&removed.cap) {
            cap.live = cap.live.saturating_sub(1);
        }
        Some(removed)
    }

    fn remove_refresh(&mut self, token: Id) -> Option<RefreshToken> {
        let removed = self.refresh.remove(&token)?;
        if let Some(cap) = self.refresh_caps.get_mut(&removed.cap) {
            cap.live = cap.live.saturating_sub(1);
        }
        Some(removed)
    }

    /// Stores `token` as a new refresh token of `grant`'s owner, counted against its cap.
    fn new_refresh(&mut self, grant: &Grant, token: Id) -> Id {
        let (principal, client_id, cap) = (&grant.principal, grant.client_id, grant.cap.clone());
        let epoch = self.epoch(principal, client_id);
        let queue = self.refresh_caps.entry(cap.clone()).or_default();
        queue.push(token);
        let refresh = &self.refresh;
        let evicted = queue.over_cap(&|t| t == token || refresh.contains_key(&t));
        for old in evicted {
            self.remove_refresh(old);
        }
        self.refresh.insert(
            token,
            RefreshToken {
                principal: principal.clone(),
                client_id: client_id.to_owned(),
                epoch,
                latest: None,
                cap,
            },
        );
        token
    }

    fn issue(
        &mut self,
        grant: Grant,
        lifetime_secs: u64,
        refresh: Option<Id>,
        now: u64,
    ) -> IssuedToken {
        self.sweep(now);
        let Grant {
            principal,
            client_id,
            cap,
            access: access_token,
        } = grant;
        let queue = self.access_caps.entry(cap.clone()).or_default();
        queue.push(access_token);
        let access = &self.access;
        let evicted = queue.over_cap(&|t| t == access_token || access.contains_key(&t));
        for old in evicted {
            if let Some(token) = self.remove_access(old) {
                // An evicted token takes its refresh token along, unless a newer token
                // was issued with it since.
                if let Some(refresh) = token.refresh_token {
                    if self.refresh.get(&refresh).and_then(|r| r.latest) == Some(old) {
                        self.remove_refresh(refresh);
                    }
                }
            }
        }
        let lifetime_ms = lifetime_secs.saturating_mul(1000);
        let expires_ms = now.saturating_add(lifetime_ms);
        let epoch = self.epoch(&principal, client_id);
        if let Some(r) = refresh.and_then(|r| self.refresh.get_mut(&r)) {
            r.latest = Some(access_token);
        }
        self.access.insert(
            access_token,
            AccessToken {
                principal,
                client_id: client_id.to_owned(),
                expires_ms,
                refresh_token: refresh,
                epoch,
                cap,
            },
        );
        self.access_expiry.push_back((expires_ms, access_token));
        IssuedToken {
            access_token: access_token.to_string(),
            refresh_token: refresh.map(|r| r.to_string()),
            expires_in: lifetime_secs,
        }
    }
}

impl MockState {
    /// Fresh state seeded from `config`.
    pub fn new(config: IdentitySeed) -> MockState {
        MockState::with_clock(config, MockClock::default())
    }

    /// Fresh state seeded from `config`, on `clock` (shared with the other APIs).
    pub fn with_clock(config: IdentitySeed, clock: MockClock) -> MockState {
        MockState {
            passwords: Mutex::new(seeded_passwords(&config)),
            config,
            clock,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The mock clock this store (and every API beside it) reads.
    pub fn clock(&self) -> &MockClock {
        &self.clock
    }

    /// The seed this state was built from.
    pub fn seed(&self) -> &IdentitySeed {
        &self.config
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Is `key` one of the configured API keys?
    pub fn api_key_valid(&self, key: &str) -> bool {
        self.config.auth.api_keys.iter().any(|k| secret_eq(k, key))
    }

    /// Do `id` and `secret` name a registered client?
    pub fn client_valid(&self, id: &str, secret: &str) -> bool {
        self.config
            .client(id)
            .is_some_and(|c| secret_eq(&c.secret, secret))
    }

    /// Is `password` the current password of the user named exactly `username`?
    pub fn user_valid(&self, username: &str, password: &str) -> bool {
        self.passwords
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(username)
            .is_some_and(|p| secret_eq(p, password))
    }

    /// Mock time in Unix seconds.
    pub fn now_secs(&self) -> u64 {
        self.clock.now_secs()
    }

    /// Issues an access token, with a refresh token when `with_refresh`.
    pub fn issue_token(
        &self,
        principal: Principal,
        client_id: &str,
        with_refresh: bool,
    ) -> IssuedToken {
        let lifetime = self.config.auth.token_lifetime_secs;
        let grant = Grant::new(principal, client_id);
        let refresh = with_refresh.then(Id::new);
        let mut inner = self.lock();
        let refresh = refresh.map(|token| inner.new_refresh(&grant, token));
        inner.issue(grant, lifetime, refresh, self.clock.now_ms())
    }

    /// The refresh_token grant.
    ///
    /// Follows the Spring Security OAuth2 default (`reuseRefreshTokens = true`):
    /// the refresh token stays valid and is returned again, and every access
    /// token previously issued with it is revoked. Refresh tokens do not expire
    /// in the mock (the reference gives no refresh lifetime).
    ///
    /// The error is the `error_description` of an `invalid_grant` answer.
    pub fn refresh(
        &self,
        client_id: &str,
        refresh_token: &str,
    ) -> Result<IssuedToken, &'static str> {
        let lifetime = self.config.auth.token_lifetime_secs;
        let id = Id::parse(refresh_token).ok_or("Invalid refresh token")?;
        let mut inner = self.lock();
        let (principal, latest) = match inner.refresh.get(&id) {
            Some(rt) if rt.epoch < inner.epoch(&rt.principal, &rt.client_id) => {
                // Ended by a global sign-out since it was issued.
                inner.remove_refresh(id);
                return Err("Invalid refresh token");
            }
            Some(rt) if rt.client_id == client_id => (rt.principal.clone(), rt.latest),
            _ => return Err("Invalid refresh token"),
        };
        if let Some(latest) = latest {
            inner.remove_access(latest);
        }
        Ok(inner.issue(
            Grant::new(principal, client_id),
            lifetime,
            Some(id),
            self.clock.now_ms(),
        ))
    }

    /// Stores a single-use authorization code for `username` and returns it.
    pub fn issue_code(&self, client_id: &str, username: &str, redirect_uri: &str) -> String {
        let lifetime_ms = self.config.auth.code_lifetime_secs.saturating_mul(1000);
        let mut inner = self.lock();
        let code = Id::new();
        let now = self.clock.now_ms();
        inner.sweep(now);
        let expires_ms = now.saturating_add(lifetime_ms);
        inner.codes.insert(
            code,
            AuthCode {
                client_id: client_id.to_owned(),
                username: username.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                expires_ms,
            },
        );
        inner.code_expiry.push_back((expires_ms, code));
        code.to_string()
    }

    /// The authorization_code grant. The code is consumed by this call even when
    /// a later check fails (as Spring's `consumeAuthorizationCode` does), so a
    /// code can never be tried twice.
    ///
    /// The error is the `error_description` of an `invalid_grant` answer.
    pub fn redeem_code(
        &self,
        client_id: &str,
        code: &str,
        redirect_uri: Option<&str>,
    ) -> Result<IssuedToken, &'static str> {
        let lifetime = self.config.auth.token_lifetime_secs;
        let mut inner = self.lock();
        let now = self.clock.now_ms();
        // Consumed: a used code is as unknown as one never issued.
        let Some(stored) = Id::parse(code).and_then(|code| inner.codes.remove(&code)) else {
            return Err("Invalid authorization code");
        };
        if stored.client_id != client_id {
            return Err("Invalid authorization code");
        }
        if now >= stored.expires_ms {
            return Err("Authorization code expired");
        }
        if redirect_uri != Some(stored.redirect_uri.as_str()) {
            return Err("Redirect URI mismatch");
        }
        let grant = Grant::new(Principal::User(stored.username), client_id);
        let refresh = inner.new_refresh(&grant, Id::new());
        Ok(inner.issue(grant, lifetime, Some(refresh), self.clock.now_ms()))
    }

    /// Resolves a bearer token.
    pub fn session(&self, token: &str) -> Result<Session, TokenRejection> {
        let id = Id::parse(token).ok_or(TokenRejection::Invalid)?;
        let mut inner = self.lock();
        let now = self.clock.now_ms();
        match inner.access.get(&id) {
            None => Err(TokenRejection::Invalid),
            Some(t) if t.epoch < inner.epoch(&t.principal, &t.client_id) => {
                // Ended by a global sign-out since it was issued.
                inner.remove_access(id);
                Err(TokenRejection::Invalid)
            }
            Some(t) if now >= t.expires_ms => Err(TokenRejection::Expired),
            Some(t) => Ok(Session {
                token: token.to_owned(),
                principal: t.principal.clone(),
                client_id: t.client_id.clone(),
                expires_at_secs: t.expires_ms / 1000,
            }),
        }
    }

    /// Sign-out. `global` revokes every access and refresh token of the
    /// session's principal (a user across all clients; a client-only principal
    /// for that client); otherwise only this access token and its refresh token.
    pub fn sign_out(&self, session: &Session, global: bool) {
        let mut inner = self.lock();
        if global {
            // Every token issued before now carries an older epoch: all end at once.
            *inner
                .epochs
                .entry(sign_out_key(&session.principal, &session.client_id))
                .or_insert(0) += 1;
            return;
        }
        if let Some(refresh) = Id::parse(&session.token)
            .and_then(|id| inner.remove_access(id))
            .and_then(|t| t.refresh_token)
        {
            inner.remove_refresh(refresh);
        }
    }

    /// Replaces `username`'s password when `old` is the current one. Existing
    /// tokens stay valid.
    pub fn change_password(&self, username: &str, old: &str, new: &str) -> bool {
        let mut passwords = self
            .passwords
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match passwords.get_mut(username) {
            Some(current) if secret_eq(current, old) => {
                new.clone_into(current);
                true
            }
            _ => false,
        }
    }

    /// Control plane: makes an access token expire now. False if unknown.
    pub fn expire_token(&self, token: &str) -> bool {
        let Some(id) = Id::parse(token) else {
            return false;
        };
        self.expire_now(|inner| inner.access.get_mut(&id).map(|t| &mut t.expires_ms))
    }

    /// Control plane: makes an authorization code expire now. False if unknown.
    pub fn expire_code(&self, code: &str) -> bool {
        let Some(id) = Id::parse(code) else {
            return false;
        };
        self.expire_now(|inner| inner.codes.get_mut(&id).map(|c| &mut c.expires_ms))
    }

    /// Sets the expiry time that `find` picks out of the store to now; false when it
    /// finds none.
    fn expire_now(&self, find: impl FnOnce(&mut Inner) -> Option<&mut u64>) -> bool {
        let mut inner = self.lock();
        let now = self.clock.now_ms();
        find(&mut inner)
            .map(|expires_ms| *expires_ms = now)
            .is_some()
    }

    /// Control plane: back to the seed (passwords, no tokens, no codes, offset 0).
    pub fn reset(&self) {
        *self.lock() = Inner::default();
        *self
            .passwords
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = seeded_passwords(&self.config);
    }
}

#[cfg(test)]
mod sweep_tests {
    use super::*;

    #[test]
    fn a_user_signed_in_more_than_the_cap_loses_the_oldest_token_only() {
        let mut inner = Inner::default();
        let first = inner.issue(Grant::new(Principal::User("t\\u".into()), "c"), 60, None, 0);
        for _ in 0..MAX_TOKENS_PER_OWNER {
            inner.issue(Grant::new(Principal::User("t\\u".into()), "c"), 60, None, 0);
        }
        assert!(!inner
            .access
            .contains_key(&Id::parse(&first.access_token).unwrap()));
        assert_eq!(inner.access.len(), MAX_TOKENS_PER_OWNER);
        let cap = &inner.access_caps[&cap_key(&Principal::User("t\\u".into()), "c")];
        assert_eq!(
            cap.live, MAX_TOKENS_PER_OWNER,
            "the count stays true past the cap"
        );
        assert_eq!(cap.order.len(), MAX_TOKENS_PER_OWNER);
        let other = inner.issue(Grant::new(Principal::User("t\\v".into()), "c"), 60, None, 0);
        assert!(inner
            .access
            .contains_key(&Id::parse(&other.access_token).unwrap()));
    }

    #[test]
    fn expired_tokens_are_kept_for_the_grace_or_the_count_kept_and_live_ones_stay() {
        let mut inner = Inner::default();
        let early = inner.issue(Grant::new(Principal::Client, "c"), 60, None, 0);
        let late = inner.issue(Grant::new(Principal::Client, "c"), 120, None, 0);
        inner.sweep(60_000);
        assert!(
            inner
                .access
                .contains_key(&Id::parse(&early.access_token).unwrap()),
            "expired, in its grace"
        );
        inner.sweep(60_000 + EXPIRED_GRACE_MS);
        assert!(
            !inner
                .access
                .contains_key(&Id::parse(&early.access_token).unwrap()),
            "past the grace"
        );
        assert!(inner
            .access
            .contains_key(&Id::parse(&late.access_token).unwrap()));
        // Short-lived tokens by the thousand: only the newest EXPIRED_KEPT stay.
        let mut inner = Inner::default();
        for _ in 0..EXPIRED_KEPT + 500 {
            inner.issue(Grant::new(Principal::Client, "c"), 1, None, 0);
        }
        inner.sweep(1_000);
        assert_eq!(inner.access.len(), EXPIRED_KEPT);
        assert_eq!(inner.access_expired.len(), EXPIRED_KEPT);
    }

    #[test]
    fn queues_of_revoked_tokens_are_compacted() {
        let mut inner = Inner::default();
        for _ in 0..10_000 {
            let t = inner.issue(Grant::new(Principal::User("t\\u".into()), "c"), 60, None, 0);
            inner.remove_access(Id::parse(&t.access_token).unwrap());
        }
        assert!(inner.access.is_empty());
        assert!(
            inner.access_expiry.len() <= 1024 + 2,
            "{}",
            inner.access_expiry.len()
        );
        let cap = &inner.access_caps[&cap_key(&Principal::User("t\\u".into()), "c")];
        assert_eq!(cap.live, 0);
        assert!(cap.order.len() <= 64 + 2, "{}", cap.order.len());
    }

    fn state() -> MockState {
        MockState::new(IdentitySeed::default_seed())
    }

    #[test]
    fn a_refresh_revokes_the_token_before_it_and_a_sign_out_its_own_token_only() {
        let state = state();
        let user = || Principal::User("tenant1\\agent1".into());
        let first = state.issue_token(user(), "cxgate-client", true);
        let other = state.issue_token(user(), "cxgate-client", true);
        let refresh = first.refresh_token.clone().unwrap_or_default();
        let second = state.refresh("cxgate-client", &refresh).expect("refreshes");
        assert_eq!(
            state.session(&first.access_token),
            Err(TokenRejection::Invalid)
        );
        let session = state
            .session(&second.access_token)
            .expect("the new token is live");
        assert!(state.session(&other.access_token).is_ok());
        state.sign_out(&session, false);
        assert_eq!(
            state.session(&second.access_token),
            Err(TokenRejection::Invalid)
        );
        assert_eq!(
            state.refresh("cxgate-client", &refresh),
            Err("Invalid refresh token")
        );
        assert!(
            state.session(&other.access_token).is_ok(),
            "another session stays"
        );
    }

    #[test]
    fn a_global_sign_out_ends_every_token_of_the_user_and_none_of_others() {
        let state = state();
        let agent = || Principal::User("tenant1\\agent1".into());
        let a = state.issue_token(agent(), "cxgate-client", true);
        let b = state.issue_token(agent(), "another-client", true);
        let client = state.issue_token(Principal::Client, "cxgate-client", false);
        let supervisor = state.issue_token(
            Principal::User("tenant1\\supervisor1".into()),
            "cxgate-client",
            true,
        );
        let session = state.session(&a.access_token).expect("live");
        state.sign_out(&session, true);
        for gone in [&a, &b] {
            assert_eq!(
                state.session(&gone.access_token),
                Err(TokenRejection::Invalid)
            );
            let refresh = gone.refresh_token.clone().unwrap_or_default();
            assert!(state.refresh("cxgate-client", &refresh).is_err());
        }
        assert!(state.session(&client.access_token).is_ok());
        assert!(state.session(&supervisor.access_token).is_ok());
        // Tokens issued after the sign-out are live.
        let after = state.issue_token(agent(), "cxgate-client", true);
        assert!(state.session(&after.access_token).is_ok());
    }
}
