//! `{name}` placeholders in step arguments: target credentials, tokens, saved values.
//!
//! | placeholder | value |
//! |---|---|
//! | `{api_key}` `{client_id}` `{client_secret}` `{redirect_uri}` | the target's |
//! | `{agent.username}` `{agent.password}` (also `supervisor.`) | the user's credentials |
//! | `{ccid}` `{channel.sms}` `{channel.email}` `{channel_secret}` | messaging target values |
//! | `{tenant.KEY}` | the profile's `[target.tenant]` KEY (statistic objects and names, services, ...) |
//! | `{basic:client}` `{basic:agent}` `{basic:supervisor}` | base64 of `name:secret` for HTTP Basic |
//! | `{token:agent}` `{refresh:agent}` | tokens obtained in this scenario |
//! | `{uuid:NAME}` | a fresh UUID, saved as `NAME` on first use (then the same value) |
//! | `{NAME}` | a value saved earlier in the scenario with "I save ... as NAME" |

use super::world::CxWorld;
use base64::Engine as _;
use regex::Regex;
use std::sync::LazyLock;

static PLACEHOLDER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\{([A-Za-z0-9_.:-]+)\}").ok());

/// Replaces every placeholder in `text`; an unknown one is an error naming it.
pub fn expand(world: &mut CxWorld, text: &str) -> Result<String, String> {
    mint_uuids(world, text);
    expand_with(world, text, |v| v)
}

/// Saves a fresh UUID for every `{uuid:NAME}` in `text` not seen before.
fn mint_uuids(world: &mut CxWorld, text: &str) {
    let Some(re) = PLACEHOLDER.as_ref() else {
        return;
    };
    for caps in re.captures_iter(text) {
        if let Some(name) = caps.get(1).and_then(|m| m.as_str().strip_prefix("uuid:")) {
            world
                .saved
                .entry(name.to_string())
                .or_insert_with(|| crate::ids::uuid_v4().to_string());
        }
    }
}

/// Like [`expand`], for placeholders inside JSON string literals: values are escaped
/// (a user name `tenant1\agent1` must become `tenant1\\agent1` in JSON).
pub fn expand_json(world: &mut CxWorld, text: &str) -> Result<String, String> {
    mint_uuids(world, text);
    expand_with(world, text, |v| {
        let quoted = serde_json::Value::String(v).to_string();
        quoted[1..quoted.len() - 1].to_string()
    })
}

fn expand_with(
    world: &CxWorld,
    text: &str,
    escape: impl Fn(String) -> String,
) -> Result<String, String> {
    let Some(re) = PLACEHOLDER.as_ref() else {
        return Ok(text.to_string());
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for caps in re.captures_iter(text) {
        let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        out.push_str(&text[last..whole.start()]);
        out.push_str(&escape(value_of(world, name.as_str())?));
        last = whole.end();
    }
    out.push_str(&text[last..]);
    Ok(out)
}

fn value_of(world: &CxWorld, name: &str) -> Result<String, String> {
    let ctx = world.ctx()?;
    let t = &ctx.target;
    let basic = |user: &str, secret: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"))
    };
    let value = match name {
        "api_key" => t.api_key.clone(),
        "client_id" => t.client_id.clone(),
        "client_secret" => t.client_secret.clone(),
        "redirect_uri" => t.redirect_uri.clone(),
        "agent.username" => t.agent.username.clone(),
        "agent.password" => t.agent.password.clone(),
        "supervisor.username" => t.supervisor.username.clone(),
        "supervisor.password" => t.supervisor.password.clone(),
        "ccid" => t.contact_center_id.clone(),
        "channel.sms" => t.sms_channel.clone(),
        "channel.email" => t.email_channel.clone(),
        "channel_secret" => t.channel_secret.clone(),
        "basic:client" => basic(&t.client_id, &t.client_secret),
        "basic:agent" => basic(&t.agent.username, &t.agent.password),
        "basic:supervisor" => basic(&t.supervisor.username, &t.supervisor.password),
        _ => {
            if let Some(key) = name.strip_prefix("tenant.") {
                return t.tenant.get(key).map(str::to_string).ok_or_else(|| {
                    format!(
                        "placeholder {{{name}}}: {key:?} is not a [target.tenant] key; the keys are {}",
                        crate::client::TenantData::KEYS.join(", ")
                    )
                });
            }
            // A value of this scenario under a prefix, or why there is none.
            let (found, missing) = match name.split_once(':') {
                Some(("uuid", saved)) => (
                    world.saved.get(saved).cloned(),
                    "no UUID minted".to_string(),
                ),
                Some(("token", alias)) => (
                    world.tokens.get(alias).map(|s| s.access_token.clone()),
                    format!("no access token for \"{alias}\" in this scenario; sign in first"),
                ),
                Some(("refresh", alias)) => (
                    world
                        .tokens
                        .get(alias)
                        .and_then(|s| s.refresh_token.clone()),
                    format!("no refresh token for \"{alias}\" in this scenario"),
                ),
                _ => return saved_value(world, name),
            };
            return found.ok_or_else(|| format!("placeholder {{{name}}}: {missing}"));
        }
    };
    if name.starts_with("basic:") {
        world.secret(&value);
    }
    Ok(value)
}

/// A value saved earlier in the scenario under `name`.
fn saved_value(world: &CxWorld, name: &str) -> Result<String, String> {
    world.saved.get(name).cloned().ok_or_else(|| {
        format!(
            "unknown placeholder {{{name}}}: not a target value and nothing was saved under that name (saved: {:?})",
            world.saved.keys().collect::<Vec<_>>()
        )
    })
}
