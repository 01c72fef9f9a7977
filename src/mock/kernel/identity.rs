//! The caller identity store: passwords, access and refresh tokens, authorization codes,
//! on the shared mock clock.

use std::collections::HashMap;
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
    #[allow(dead_code)] // kept for debugging dumps; expiry is what is checked
    issued_ms: u64,
    expires_ms: u64,
    refresh_token: Option<String>,
    revoked: bool,
}

#[derive(Debug, Clone)]
struct RefreshToken {
    principal: Principal,
    client_id: String,
    valid: bool,
}

#[derive(Debug, Clone)]
struct AuthCode {
    client_id: String,
    username: String,
    redirect_uri: String,
    expires_ms: u64,
    used: bool,
}

#[derive(Debug, Default)]
struct Inner {
    passwords: HashMap<String, String>,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    codes: HashMap<String, AuthCode>,
    /// Tokens issued since expired and revoked entries were last swept out.
    issued_since_sweep: u32,
    /// Access tokens per (client, principal), oldest first, for the cap below.
    live_by_owner: HashMap<String, std::collections::VecDeque<String>>,
}

/// Access tokens kept per (client, principal). A load test that signs the same user in
/// millions of times would otherwise grow the mock without bound; past the cap the
/// oldest token of that user is revoked (and its refresh token dropped), as a server
/// with a per-user session limit would. The count includes tokens revoked since the
/// last sweep, so the cap sits far above what 1,000 concurrent sessions of one user
/// need (measured: a cap of 1,000 failed a third of a 1,000-user run's requests).
const MAX_TOKENS_PER_OWNER: usize = 100_000;

/// How many issues pass between sweeps of dead tokens and codes.
const SWEEP_EVERY: u32 = 4096;
/// How long an expired token is kept, so it is still told apart from an unknown one.
const EXPIRED_GRACE_MS: u64 = 3_600_000;

/// Shared state behind every handler (`Arc<MockState>`).
///
/// One `std::sync::Mutex` guards everything; it is never held across an
/// `.await`, and a poisoned lock is recovered rather than panicking.
#[derive(Debug)]
pub struct MockState {
    config: IdentitySeed,
    clock: MockClock,
    inner: Mutex<Inner>,
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn secret_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

impl Inner {
    /// Drops revoked access tokens, tokens expired for over an hour, invalidated refresh
    /// tokens and dead codes, so a long load run keeps the mock's memory bounded.
    fn sweep(&mut self, now: u64) {
        self.issued_since_sweep = 0;
        self.access
            .retain(|_, t| !t.revoked && t.expires_ms.saturating_add(EXPIRED_GRACE_MS) > now);
        self.refresh.retain(|_, r| r.valid);
        self.codes.retain(|_, c| !c.used && c.expires_ms > now);
        let access = &self.access;
        self.live_by_owner.retain(|_, queue| {
            queue.retain(|t| access.contains_key(t));
            !queue.is_empty()
        });
    }

    fn seeded(config: &IdentitySeed) -> Inner {
        Inner {
            passwords: config
                .users
                .iter()
                .map(|u| (u.username.clone(), u.password.clone()))
                .collect(),
            ..Inner::default()
        }
    }

    fn issue(
        &mut self,
        principal: Principal,
        client_id: &str,
        lifetime_secs: u64,
        refresh: Option<String>,
        now: u64,
    ) -> IssuedToken {
        self.issued_since_sweep += 1;
        if self.issued_since_sweep >= SWEEP_EVERY {
            self.sweep(now);
        }
        let access_token = new_id();
        let owner = format!("{client_id}|{principal:?}");
        let queue = self.live_by_owner.entry(owner).or_default();
        queue.push_back(access_token.clone());
        let mut evicted = Vec::new();
        while queue.len() > MAX_TOKENS_PER_OWNER {
            if let Some(old) = queue.pop_front() {
                evicted.push(old);
            }
        }
        for old in evicted {
            if let Some(token) = self.access.remove(&old) {
                // A token revoked by a refresh shares its refresh token with the newer
                // one: only a live token takes its refresh token along.
                if let (false, Some(refresh)) = (token.revoked, token.refresh_token) {
                    self.refresh.remove(&refresh);
                }
            }
        }
        let lifetime_ms = lifetime_secs.saturating_mul(1000);
        self.access.insert(
            access_token.clone(),
            AccessToken {
                principal,
                client_id: client_id.to_owned(),
                issued_ms: now,
                expires_ms: now.saturating_add(lifetime_ms),
                refresh_token: refresh.clone(),
                revoked: false,
            },
        );
        IssuedToken {
            access_token,
            refresh_token: refresh,
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
        let inner = Inner::seeded(&config);
        MockState {
            config,
            clock,
            inner: Mutex::new(inner),
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
        self.lock()
            .passwords
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
        let mut inner = self.lock();
        let refresh = with_refresh.then(|| {
            let token = new_id();
            inner.refresh.insert(
                token.clone(),
                RefreshToken {
                    principal: principal.clone(),
                    client_id: client_id.to_owned(),
                    valid: true,
                },
            );
            token
        });
        inner.issue(principal, client_id, lifetime, refresh, self.clock.now_ms())
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
        let mut inner = self.lock();
        let principal = match inner.refresh.get(refresh_token) {
            Some(rt) if rt.valid && rt.client_id == client_id => rt.principal.clone(),
            _ => return Err("Invalid refresh token"),
        };
        for token in inner.access.values_mut() {
            if token.refresh_token.as_deref() == Some(refresh_token) {
                token.revoked = true;
            }
        }
        Ok(inner.issue(
            principal,
            client_id,
            lifetime,
            Some(refresh_token.to_owned()),
            self.clock.now_ms(),
        ))
    }

    /// Stores a single-use authorization code for `username` and returns it.
    pub fn issue_code(&self, client_id: &str, username: &str, redirect_uri: &str) -> String {
        let lifetime_ms = self.config.auth.code_lifetime_secs.saturating_mul(1000);
        let mut inner = self.lock();
        let code = new_id();
        let expires_ms = self.clock.now_ms().saturating_add(lifetime_ms);
        inner.codes.insert(
            code.clone(),
            AuthCode {
                client_id: client_id.to_owned(),
                username: username.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                expires_ms,
                used: false,
            },
        );
        code
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
        let Some(stored) = inner.codes.get_mut(code) else {
            return Err("Invalid authorization code");
        };
        if stored.used {
            return Err("Invalid authorization code");
        }
        stored.used = true;
        if stored.client_id != client_id {
            return Err("Invalid authorization code");
        }
        if now >= stored.expires_ms {
            return Err("Authorization code expired");
        }
        if redirect_uri != Some(stored.redirect_uri.as_str()) {
            return Err("Redirect URI mismatch");
        }
        let principal = Principal::User(stored.username.clone());
        let refresh = new_id();
        inner.refresh.insert(
            refresh.clone(),
            RefreshToken {
                principal: principal.clone(),
                client_id: client_id.to_owned(),
                valid: true,
            },
        );
        Ok(inner.issue(
            principal,
            client_id,
            lifetime,
            Some(refresh),
            self.clock.now_ms(),
        ))
    }

    /// Resolves a bearer token.
    pub fn session(&self, token: &str) -> Result<Session, TokenRejection> {
        let inner = self.lock();
        let now = self.clock.now_ms();
        match inner.access.get(token) {
            None => Err(TokenRejection::Invalid),
            Some(t) if t.revoked => Err(TokenRejection::Invalid),
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
            let same = |principal: &Principal, client_id: &str| match &session.principal {
                Principal::User(_) => *principal == session.principal,
                Principal::Client => {
                    *principal == Principal::Client && client_id == session.client_id
                }
            };
            for token in inner.access.values_mut() {
                if same(&token.principal, &token.client_id) {
                    token.revoked = true;
                }
            }
            for token in inner.refresh.values_mut() {
                if same(&token.principal, &token.client_id) {
                    token.valid = false;
                }
            }
            return;
        }
        let refresh = inner.access.get_mut(&session.token).and_then(|token| {
            token.revoked = true;
            token.refresh_token.clone()
        });
        if let Some(refresh) = refresh.and_then(|r| inner.refresh.get_mut(&r)) {
            refresh.valid = false;
        }
    }

    /// Replaces `username`'s password when `old` is the current one. Existing
    /// tokens stay valid.
    pub fn change_password(&self, username: &str, old: &str, new: &str) -> bool {
        let mut inner = self.lock();
        match inner.passwords.get_mut(username) {
            Some(current) if secret_eq(current, old) => {
                new.clone_into(current);
                true
            }
            _ => false,
        }
    }

    /// Control plane: makes an access token expire now. False if unknown.
    pub fn expire_token(&self, token: &str) -> bool {
        self.expire_now(|inner| inner.access.get_mut(token).map(|t| &mut t.expires_ms))
    }

    /// Control plane: makes an authorization code expire now. False if unknown.
    pub fn expire_code(&self, code: &str) -> bool {
        self.expire_now(|inner| inner.codes.get_mut(code).map(|c| &mut c.expires_ms))
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
        *self.lock() = Inner::seeded(&self.config);
    }
}

#[cfg(test)]
mod sweep_tests {
    use super::*;

    #[test]
    fn a_user_signed_in_more_than_the_cap_loses_the_oldest_token_only() {
        let mut inner = Inner::default();
        let first = inner.issue(Principal::User("t\\u".into()), "c", 60, None, 0);
        for _ in 0..MAX_TOKENS_PER_OWNER {
            inner.issue(Principal::User("t\\u".into()), "c", 60, None, 0);
        }
        assert!(!inner.access.contains_key(&first.access_token));
        assert_eq!(inner.access.len(), MAX_TOKENS_PER_OWNER);
        let other = inner.issue(Principal::User("t\\v".into()), "c", 60, None, 0);
        assert!(inner.access.contains_key(&other.access_token));
    }

    #[test]
    fn revoked_and_long_expired_tokens_are_swept_but_live_ones_stay() {
        let mut inner = Inner::default();
        let live = inner.issue(Principal::Client, "c", 60, None, 0);
        let dead = inner.issue(Principal::Client, "c", 60, None, 0);
        if let Some(t) = inner.access.get_mut(&dead.access_token) {
            t.revoked = true;
        }
        let now = 0;
        inner.sweep(now);
        assert!(inner.access.contains_key(&live.access_token));
        assert!(!inner.access.contains_key(&dead.access_token));
        inner.sweep(now + 60_000 + EXPIRED_GRACE_MS + 1);
        assert!(inner.access.is_empty());
    }
}
