//! The identity part of the mock's seed, which the kernel's identity store serves:
//! `[auth]` (keys, lifetimes, the JWT secret), `[[tenants]]`, `[[clients]]` and
//! `[[users]]`. API families keep their own sections beside their code.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

/// `[auth]`: what every deployment-wide check uses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Lifetime of an access token, in seconds.
    pub token_lifetime_secs: u64,
    /// Lifetime of an authorization code, in seconds.
    pub code_lifetime_secs: u64,
    /// Values accepted in the `x-api-key` header (reference line 322).
    pub api_keys: Vec<String>,
    /// HS256 secret that signs the `X-GWS-User` JWT of `/jwt-userinfo`.
    pub jwt_secret: String,
}

/// `[[tenants]]`: one contact center.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantConfig {
    /// The part of a username before the backslash (`tenant1\agent1`).
    pub name: String,
    /// `contactCenterId` / `contact_center_id` of its users.
    pub contact_center_id: String,
    /// `environmentId` / `environment_id` of its users.
    pub environment_id: String,
}

/// `[[clients]]`: one registered OAuth client application.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// The client ID.
    pub id: String,
    /// The client password.
    pub secret: String,
    /// Allowed redirect URIs, compared exactly (reference line 328).
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

/// `[[users]]`: one user of a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Full name, `tenant\user`; the tenant must be declared.
    pub username: String,
    /// Initial password; `/change-password` may change it until `/__cxgate/reset`.
    pub password: String,
    /// DBID of the user record in Configuration Server.
    pub dbid: i64,
    /// OpenID `given_name`.
    pub given_name: String,
    /// OpenID `family_name`.
    pub family_name: String,
    /// OpenID `email`.
    pub email: String,
    /// Roles reported as `authorities`.
    #[serde(default)]
    pub roles: Vec<RoleConfig>,
    /// The user's `properties` map (reference line 872: string to string).
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

/// One `UserRole`: a role name and its privileges.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleConfig {
    /// Role name, e.g. `ROLE_AGENT`.
    pub name: String,
    /// Privilege names; the reference (lines 859-860) names none, so these are ours.
    #[serde(default)]
    pub privileges: Vec<String>,
}

impl UserConfig {
    /// The tenant part of `tenant\user`.
    pub fn tenant(&self) -> &str {
        self.username
            .split_once('\\')
            .map_or("", |(tenant, _)| tenant)
    }

    /// The Configuration Server user name: the part after the backslash.
    pub fn cme_user_name(&self) -> &str {
        self.username
            .split_once('\\')
            .map_or(self.username.as_str(), |(_, name)| name)
    }
}

/// `[auth]`, `[[tenants]]`, `[[clients]]` and `[[users]]` of the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentitySeed {
    /// Keys, lifetimes and the JWT secret.
    pub auth: AuthConfig,
    /// Contact centers; every user belongs to one.
    pub tenants: Vec<TenantConfig>,
    /// Registered OAuth clients.
    pub clients: Vec<ClientConfig>,
    /// Users who can sign in.
    pub users: Vec<UserConfig>,
}

impl IdentitySeed {
    /// The built-in identity seed; equal to that of `targets/mock.toml`.
    pub fn default_seed() -> IdentitySeed {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        IdentitySeed {
            auth: AuthConfig {
                token_lifetime_secs: 43_200,
                code_lifetime_secs: 300,
                api_keys: strings(&["cxgate-api-key"]),
                jwt_secret: "cxgate-jwt-secret".to_owned(),
            },
            tenants: vec![TenantConfig {
                name: "tenant1".to_owned(),
                contact_center_id: "0ff723ff-6c6f-44e0-9ce3-ce579337eadd".to_owned(),
                environment_id: "6c5b8e3a-1d2f-4e7a-9b0c-3f4d5e6a7b8c".to_owned(),
            }],
            clients: vec![ClientConfig {
                id: "cxgate-client".to_owned(),
                secret: "cxgate-secret".to_owned(),
                redirect_uris: strings(&["http://127.0.0.1/callback"]),
            }],
            users: vec![
                UserConfig {
                    username: "tenant1\\agent1".to_owned(),
                    password: "agent1-password".to_owned(),
                    dbid: 101,
                    given_name: "Agent".to_owned(),
                    family_name: "One".to_owned(),
                    email: "agent1@tenant1.example.com".to_owned(),
                    roles: vec![RoleConfig {
                        name: "ROLE_AGENT".to_owned(),
                        privileges: strings(&["statistics:read", "messaging:send", "email:send"]),
                    }],
                    properties: BTreeMap::new(),
                },
                UserConfig {
                    username: "tenant1\\supervisor1".to_owned(),
                    password: "supervisor1-password".to_owned(),
                    dbid: 102,
                    given_name: "Supervisor".to_owned(),
                    family_name: "One".to_owned(),
                    email: "supervisor1@tenant1.example.com".to_owned(),
                    roles: vec![
                        RoleConfig {
                            name: "ROLE_SUPERVISOR".to_owned(),
                            privileges: strings(&[
                                "statistics:read",
                                "statistics:subscribe",
                                "udm:export",
                            ]),
                        },
                        RoleConfig {
                            name: "ROLE_AGENT".to_owned(),
                            privileges: strings(&[
                                "statistics:read",
                                "messaging:send",
                                "email:send",
                            ]),
                        },
                    ],
                    properties: BTreeMap::new(),
                },
            ],
        }
    }

    /// Checks what serde cannot: uniqueness, references and non-empty secrets.
    pub fn validate(&self) -> Result<(), String> {
        let auth = &self.auth;
        if auth.token_lifetime_secs == 0 {
            return Err("[auth] token_lifetime_secs must be at least 1".to_owned());
        }
        if auth.code_lifetime_secs == 0 {
            return Err("[auth] code_lifetime_secs must be at least 1".to_owned());
        }
        if auth.api_keys.is_empty() || auth.api_keys.iter().any(String::is_empty) {
            return Err("[auth] api_keys must list at least one non-empty key".to_owned());
        }
        if auth.jwt_secret.is_empty() {
            return Err("[auth] jwt_secret must not be empty".to_owned());
        }

        let mut tenants = HashSet::new();
        for (i, tenant) in self.tenants.iter().enumerate() {
            if tenant.name.is_empty() || tenant.name.contains('\\') {
                return Err(format!(
                    "tenants[{i}] name `{}` must be non-empty and contain no backslash",
                    tenant.name
                ));
            }
            if !tenants.insert(tenant.name.as_str()) {
                return Err(format!("tenants[{i}] `{}` is declared twice", tenant.name));
            }
        }

        let mut clients = HashSet::new();
        for (i, client) in self.clients.iter().enumerate() {
            if client.id.is_empty() || client.secret.is_empty() {
                return Err(format!(
                    "clients[{i}] `{}` needs a non-empty id and secret",
                    client.id
                ));
            }
            if !clients.insert(client.id.as_str()) {
                return Err(format!("clients[{i}] `{}` is declared twice", client.id));
            }
            for uri in &client.redirect_uris {
                check_redirect_uri(uri).map_err(|why| {
                    format!("clients[{i}] `{}` redirect URI `{uri}` {why}", client.id)
                })?;
            }
        }

        let mut users = HashSet::new();
        let mut dbids = HashSet::new();
        for (i, user) in self.users.iter().enumerate() {
            let Some((tenant, name)) = user.username.split_once('\\') else {
                return Err(format!(
                    "users[{i}] username `{}` must be `tenant\\user` (one backslash)",
                    user.username
                ));
            };
            if name.is_empty() || name.contains('\\') {
                return Err(format!(
                    "users[{i}] username `{}` must be `tenant\\user` with a non-empty user part",
                    user.username
                ));
            }
            if !tenants.contains(tenant) {
                return Err(format!(
                    "users[{i}] `{}` names tenant `{tenant}`, which is not declared in [[tenants]]",
                    user.username
                ));
            }
            if user.password.is_empty() {
                return Err(format!(
                    "users[{i}] `{}` needs a non-empty password",
                    user.username
                ));
            }
            if !users.insert(user.username.as_str()) {
                return Err(format!("users[{i}] `{}` is declared twice", user.username));
            }
            if !dbids.insert((tenant, user.dbid)) {
                return Err(format!(
                    "users[{i}] `{}` reuses dbid {} within tenant `{tenant}`",
                    user.username, user.dbid
                ));
            }
        }
        Ok(())
    }

    /// The tenant named `name`.
    pub fn tenant(&self, name: &str) -> Option<&TenantConfig> {
        self.tenants.iter().find(|t| t.name == name)
    }

    /// The client with ID `id`.
    pub fn client(&self, id: &str) -> Option<&ClientConfig> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// The user whose full name is exactly `username`.
    pub fn user(&self, username: &str) -> Option<&UserConfig> {
        self.users.iter().find(|u| u.username == username)
    }
}

/// A redirect URI must be absolute and carry no fragment (reference line 328,
/// RFC 6749 section 3.1.2).
fn check_redirect_uri(uri: &str) -> Result<(), &'static str> {
    let parsed = url::Url::parse(uri).map_err(|_| "is not an absolute URI")?;
    if parsed.fragment().is_some() {
        return Err("must not contain a fragment (reference line 328)");
    }
    Ok(())
}
