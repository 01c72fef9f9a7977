//! Authentication steps: signing in, tokens, redirects of the authorization-code flow,
//! the sign-in form, and the JWT of `/jwt-userinfo`.

use super::http::{body_excerpt, client_error};
use super::placeholders::expand;
use super::world::{CxWorld, TokenSet};
use crate::client::{Credentials, Exchange, RequestSpec};
use base64::Engine as _;
use cucumber::{given, then, when};
use regex::Regex;
use serde_json::Value;
use std::collections::HashMap;

type StepResult = Result<(), String>;

fn credentials(world: &CxWorld, alias: &str) -> Result<Credentials, String> {
    let t = &world.ctx()?.target;
    match alias {
        "agent" => Ok(t.agent.clone()),
        "supervisor" => Ok(t.supervisor.clone()),
        other => Err(format!(
            "unknown user \"{other}\": use \"agent\" or \"supervisor\""
        )),
    }
}

fn client_basic(world: &CxWorld) -> Result<String, String> {
    let t = &world.ctx()?.target;
    let value = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", t.client_id, t.client_secret));
    world.secret(&value);
    Ok(format!("Basic {value}"))
}

/// POSTs a form to the token endpoint with the client's Basic credentials.
async fn token_request(world: &mut CxWorld, form: &[(&str, &str)]) -> Result<Exchange, String> {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in form {
        body.append_pair(k, v);
    }
    let authorization = client_basic(world)?;
    let form = body.finish().into_bytes();
    side_post(
        world,
        "/auth/v3/oauth/token",
        authorization,
        "application/x-www-form-urlencoded",
        form,
    )
    .await
}

/// POSTs `body` of `content_type` to `path` as a side request with the `Authorization`
/// header `authorization`.
async fn side_post(
    world: &mut CxWorld,
    path: &str,
    authorization: String,
    content_type: &str,
    body: Vec<u8>,
) -> Result<Exchange, String> {
    let spec = RequestSpec {
        method: "POST".into(),
        path: path.into(),
        headers: vec![
            ("Authorization".into(), authorization),
            ("Content-Type".into(), content_type.into()),
        ],
        query: vec![],
        body: Some(body),
    };
    world.side_request(spec).await
}

/// The password grant for a user with the given password.
async fn password_grant(
    world: &mut CxWorld,
    username: &str,
    password: &str,
) -> Result<Exchange, String> {
    token_request(
        world,
        &[
            ("grant_type", "password"),
            ("username", username),
            ("password", password),
            ("scope", "*"),
        ],
    )
    .await
}

/// Reads `access_token` and `refresh_token` of a 200 token response.
fn tokens_of(world: &CxWorld, exchange: &Exchange) -> Result<TokenSet, String> {
    if exchange.status != 200 {
        return Err(format!(
            "{}: token request failed; body: {}",
            exchange.describe(),
            body_excerpt(exchange)
        ));
    }
    let body = exchange.json()?;
    let access = body
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            format!(
                "{}: token response has no string access_token; body: {}",
                exchange.describe(),
                body_excerpt(exchange)
            )
        })?
        .to_string();
    let refresh = body
        .get("refresh_token")
        .and_then(Value::as_str)
        .map(str::to_string);
    world.secret(&access);
    if let Some(r) = &refresh {
        world.secret(r);
    }
    Ok(TokenSet {
        access_token: access,
        refresh_token: refresh,
    })
}

#[given(expr = "I am signed in as the {word}")]
async fn signed_in(world: &mut CxWorld, alias: String) -> StepResult {
    let creds = credentials(world, &alias)?;
    let exchange = password_grant(world, &creds.username, &creds.password).await?;
    let tokens = tokens_of(world, &exchange)?;
    world.bearer = Some(tokens.access_token.clone());
    keep_expires_in(world, &alias, &exchange);
    world.tokens.insert(alias, tokens);
    Ok(())
}

/// Saves the `expires_in` of a token answer as `expires_in:ALIAS` (the reference, 388-392:
/// a token lives as long as its answer says, never a fixed time).
fn keep_expires_in(world: &mut CxWorld, alias: &str, exchange: &Exchange) {
    if let Some(n) = exchange
        .json()
        .ok()
        .and_then(|b| b.get("expires_in").and_then(Value::as_i64))
    {
        world
            .saved
            .insert(format!("expires_in:{alias}"), n.to_string());
    }
}

#[given(expr = "the {word} also signs in as {string}")]
async fn second_session(world: &mut CxWorld, alias: String, name: String) -> StepResult {
    let creds = credentials(world, &alias)?;
    let exchange = password_grant(world, &creds.username, &creds.password).await?;
    let tokens = tokens_of(world, &exchange)?;
    keep_expires_in(world, &name, &exchange);
    world.tokens.insert(name, tokens);
    Ok(())
}

#[given("I have a client credentials token")]
async fn client_token(world: &mut CxWorld) -> StepResult {
    let exchange = token_request(
        world,
        &[("grant_type", "client_credentials"), ("scope", "*")],
    )
    .await?;
    let tokens = tokens_of(world, &exchange)?;
    world.bearer = Some(tokens.access_token.clone());
    world.tokens.insert("client".into(), tokens);
    Ok(())
}

#[given(expr = "I use the access token of the {word}")]
fn use_token_of(world: &mut CxWorld, alias: String) -> StepResult {
    world.bearer = Some(expand(world, &format!("{{token:{alias}}}"))?);
    Ok(())
}

#[then(expr = "I keep the tokens of the response as {string}")]
fn keep_tokens(world: &mut CxWorld, alias: String) -> StepResult {
    let last = world.last()?.clone();
    let tokens = tokens_of(world, &last)?;
    keep_expires_in(world, &alias, &last);
    world.tokens.insert(alias, tokens);
    Ok(())
}

async fn userinfo_status(world: &mut CxWorld, token: &str) -> Result<Exchange, String> {
    let spec = RequestSpec {
        method: "GET".into(),
        path: "/auth/v3/userinfo".into(),
        headers: vec![("Authorization".into(), format!("Bearer {token}"))],
        query: vec![],
        body: None,
    };
    world.side_request(spec).await
}

#[then(regex = r#"^the access token "([^"]*)" is (accepted|rejected)$"#)]
async fn token_accepted(world: &mut CxWorld, token: String, verdict: String) -> StepResult {
    let token = expand(world, &token)?;
    let exchange = userinfo_status(world, &token).await?;
    let expected = if verdict == "accepted" { 200 } else { 401 };
    if exchange.status == expected {
        Ok(())
    } else {
        Err(format!(
            "checked the token with {}: expected {expected} (token {verdict}), actual {}; body: {}",
            exchange.describe(),
            exchange.status,
            body_excerpt(&exchange)
        ))
    }
}

#[then(regex = r#"^the (agent|supervisor) (can|cannot) sign in with the password "([^"]*)"$"#)]
async fn can_sign_in(
    world: &mut CxWorld,
    alias: String,
    verdict: String,
    password: String,
) -> StepResult {
    let password = expand(world, &password)?;
    world.secret(&password);
    let creds = credentials(world, &alias)?;
    let exchange = password_grant(world, &creds.username, &password).await?;
    let ok = exchange.status == 200;
    if ok == (verdict == "can") {
        if ok {
            let tokens = tokens_of(world, &exchange)?;
            world.tokens.insert(alias, tokens);
        }
        return Ok(());
    }
    Err(format!(
        "password grant for the {alias}: expected it {verdict} sign in, got {}; body: {}",
        exchange.describe(),
        body_excerpt(&exchange)
    ))
}

/// `POST /auth/v3/change-password` with a bearer token (reference 441-506).
async fn change_password_request(
    world: &mut CxWorld,
    token: &str,
    username: &str,
    old: &str,
    new: &str,
) -> Result<Exchange, String> {
    let body = serde_json::json!({
        "data": {"oldPassword": old, "newPassword": new, "userName": username}
    });
    side_post(
        world,
        "/auth/v3/change-password",
        format!("Bearer {token}"),
        "application/json",
        body.to_string().into_bytes(),
    )
    .await
}

/// Puts a user's original password back: signs in with whichever password works now
/// (the original, or one of the passwords the scenario may have set), changes it back
/// to the original, and proves that the original signs in.
async fn restore_password(
    world: &mut CxWorld,
    creds: &Credentials,
    candidates: &[String],
) -> Result<(), String> {
    let original = password_grant(world, &creds.username, &creds.password).await?;
    if original.status == 200 {
        return Ok(());
    }
    for candidate in candidates {
        let grant = password_grant(world, &creds.username, candidate).await?;
        if grant.status != 200 {
            continue;
        }
        let token = tokens_of(world, &grant)?.access_token;
        let changed =
            change_password_request(world, &token, &creds.username, candidate, &creds.password)
                .await?;
        if changed.status != 200 {
            return Err(format!(
                "changing the password of {} back: {}; body: {}",
                creds.username,
                changed.describe(),
                body_excerpt(&changed)
            ));
        }
        break;
    }
    let check = password_grant(world, &creds.username, &creds.password).await?;
    if check.status == 200 {
        Ok(())
    } else {
        Err(format!(
            "the original password of {} does not sign in after the cleanup: {}; body: {}",
            creds.username,
            check.describe(),
            body_excerpt(&check)
        ))
    }
}

/// Registers, before the request that may change a password, the undo that puts the
/// user's original password back, whether the scenario passes or fails. The passwords
/// the request may set are read from `data.newPassword` of the pending JSON body.
#[given(regex = r"^the (agent|supervisor)'s original password is put back after the scenario$")]
fn password_put_back(world: &mut CxWorld, alias: String) -> StepResult {
    let creds = credentials(world, &alias)?;
    let mut candidates = Vec::new();
    if let Some((bytes, _)) = &world.pending.body {
        if let Some(new) = serde_json::from_slice::<Value>(bytes).ok().and_then(|b| {
            b.pointer("/data/newPassword")
                .and_then(Value::as_str)
                .map(str::to_string)
        }) {
            world.secret(&new);
            candidates.push(new);
        }
    }
    if candidates.is_empty() {
        return Err(
            "no JSON body with data.newPassword is pending: give the change-password body first, then this step".into(),
        );
    }
    world.on_cleanup(
        format!("put the original password of the {alias} back"),
        Box::new(move |w| Box::pin(async move { restore_password(w, &creds, &candidates).await })),
    );
    Ok(())
}

fn location(last: &Exchange) -> Result<url::Url, String> {
    if !(300..400).contains(&last.status) {
        return Err(format!(
            "{}: expected a redirect (3xx), actual {}; body: {}",
            last.describe(),
            last.status,
            body_excerpt(last)
        ));
    }
    let loc = last
        .header("location")
        .ok_or_else(|| format!("{}: redirect without a Location header", last.describe()))?;
    url::Url::parse(loc).map_err(|e| {
        format!(
            "{}: Location {loc:?} is not an absolute URL: {e}",
            last.describe()
        )
    })
}

/// The value of `key` in `pairs`, unless it is missing or empty.
fn non_empty(pairs: &HashMap<String, String>, key: &str) -> Option<String> {
    pairs.get(key).filter(|v| !v.is_empty()).cloned()
}

fn query_map(url: &url::Url) -> HashMap<String, String> {
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The registered redirect URI of the target, parsed.
fn registered_redirect(world: &CxWorld) -> Result<url::Url, String> {
    let registered = world.ctx()?.target.redirect_uri.clone();
    url::Url::parse(&registered)
        .map_err(|e| format!("redirect URI {registered:?} of the target is not a URL: {e}"))
}

/// True when `loc` goes to the registered endpoint: the same scheme, host, port and
/// path, compared exactly (a URI that only starts like the registered one is another
/// endpoint; reference 328: the redirect URI is registered in advance).
fn same_endpoint(loc: &url::Url, registered: &url::Url) -> bool {
    loc.scheme() == registered.scheme()
        && loc.host_str() == registered.host_str()
        && loc.port_or_known_default() == registered.port_or_known_default()
        && loc.path() == registered.path()
}

/// Fails unless the last response redirects to the registered redirect URI.
fn redirect_to_registered(world: &CxWorld) -> Result<url::Url, String> {
    let registered = registered_redirect(world)?;
    let last = world.last()?;
    let loc = location(last)?;
    if !same_endpoint(&loc, &registered) {
        return Err(format!(
            "{}: expected a redirect to the registered redirect URI {registered} (same scheme, host, port and path), actual {loc}",
            last.describe()
        ));
    }
    Ok(loc)
}

#[then(
    expr = "the response redirects to the registered redirect URI with a code and the state {string}"
)]
fn redirect_with_code(world: &mut CxWorld, state: String) -> StepResult {
    let state = expand(world, &state)?;
    let loc = redirect_to_registered(world)?;
    let last = world.last()?;
    let query = query_map(&loc);
    let code = non_empty(&query, "code").ok_or_else(|| {
        format!(
            "{}: Location {loc} has no code query parameter",
            last.describe()
        )
    })?;
    match query.get("state") {
        Some(s) if *s == state => {}
        other => {
            return Err(format!(
                "{}: expected state {state:?} in Location, actual {other:?}",
                last.describe()
            ))
        }
    }
    world.secret(&code);
    world.saved.insert("code".into(), code);
    Ok(())
}

#[then(expr = "the response redirects to the registered redirect URI with the error {string}")]
fn redirect_with_error(world: &mut CxWorld, error: String) -> StepResult {
    let loc = redirect_to_registered(world)?;
    let last = world.last()?;
    match query_map(&loc).get("error") {
        Some(e) if *e == error => Ok(()),
        other => Err(format!(
            "{}: expected error={error} in Location, actual {other:?}",
            last.describe()
        )),
    }
}

#[then(
    expr = "the response redirects to the registered redirect URI with an access token in the fragment"
)]
fn redirect_with_fragment_token(world: &mut CxWorld) -> StepResult {
    let loc = redirect_to_registered(world)?;
    let last = world.last()?;
    let fragment = loc.fragment().unwrap_or("");
    let pairs: HashMap<String, String> = url::form_urlencoded::parse(fragment.as_bytes())
        .into_owned()
        .collect();
    let token = non_empty(&pairs, "access_token").ok_or_else(|| {
        format!(
            "{}: no access_token in the fragment of {loc}",
            last.describe()
        )
    })?;
    if !pairs
        .get("token_type")
        .is_some_and(|t| t.eq_ignore_ascii_case("bearer"))
    {
        return Err(format!(
            "{}: expected token_type=bearer in the fragment, actual {:?}",
            last.describe(),
            pairs.get("token_type")
        ));
    }
    world.secret(&token);
    world.saved.insert("fragment_token".into(), token);
    Ok(())
}

#[then(expr = "the response redirects to {string}")]
fn redirect_exact(world: &mut CxWorld, expected: String) -> StepResult {
    let expected = expand(world, &expected)?;
    let last = world.last()?;
    let loc = location(last)?;
    if loc.as_str() == expected
        || loc.as_str().trim_end_matches('/') == expected.trim_end_matches('/')
    {
        Ok(())
    } else {
        Err(format!(
            "{}: expected Location {expected}, actual {loc}",
            last.describe()
        ))
    }
}

/// A refusal whose exact status the reference leaves open: any 4xx.
#[then(regex = r"^the response status is a client error \(4xx\)$")]
fn status_client_error(world: &mut CxWorld) -> StepResult {
    client_error(world, body_excerpt)
}

/// Two access tokens obtained in this scenario are different tokens.
#[then(expr = "the access tokens {string} and {string} differ")]
fn tokens_differ(world: &mut CxWorld, a: String, b: String) -> StepResult {
    let (x, y) = (expand(world, &a)?, expand(world, &b)?);
    if x == y {
        return Err(format!(
            "expected a new access token, but {a} and {b} are the same token"
        ));
    }
    Ok(())
}

/// The value at a JSON pointer differs from a value saved earlier in the scenario.
#[then(expr = "the JSON at {string} differs from the saved {string}")]
fn json_differs(world: &mut CxWorld, pointer: String, name: String) -> StepResult {
    let saved = world
        .saved
        .get(&name)
        .cloned()
        .ok_or_else(|| format!("nothing was saved as \"{name}\""))?;
    let last = world.last()?;
    let actual = last.json()?.pointer(&pointer).cloned();
    let same = match &actual {
        Some(Value::String(s)) => *s == saved,
        Some(other) => serde_json::from_str::<Value>(&saved).ok().as_ref() == Some(other),
        None => {
            return Err(format!(
                "{}: nothing at {pointer} to compare with \"{name}\"",
                last.describe()
            ))
        }
    };
    if same {
        return Err(format!(
            "{}: at {pointer}: expected a value other than the saved \"{name}\", actual the same <{saved}>",
            last.describe()
        ));
    }
    Ok(())
}

#[then("the response does not redirect")]
fn no_redirect(world: &mut CxWorld) -> StepResult {
    let last = world.last()?;
    if (300..400).contains(&last.status) || last.header("location").is_some() {
        return Err(format!(
            "{}: expected no redirect, actual Location {:?}",
            last.describe(),
            last.header("location")
        ));
    }
    Ok(())
}

/// Reads the inputs of the first form in an HTML page: `(action, [(name, value)])`.
fn parse_form(html: &str) -> Result<(String, Vec<(String, String)>), String> {
    let form = Regex::new(r#"(?is)<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>"#)
        .map_err(|e| e.to_string())?;
    let input = Regex::new(r#"(?is)<input([^>]*)>"#).map_err(|e| e.to_string())?;
    let attr = |tag: &str, name: &str| -> Option<String> {
        let re = Regex::new(&format!(r#"(?i)\b{name}="([^"]*)""#)).ok()?;
        re.captures(tag).map(|c| html_unescape(&c[1]))
    };
    let caps = form
        .captures(html)
        .ok_or("no <form action=\"...\"> in the page")?;
    let action = html_unescape(&caps[1]);
    let inputs = input
        .captures_iter(&caps[2])
        .filter_map(|c| {
            Some((
                attr(&c[1], "name")?,
                attr(&c[1], "value").unwrap_or_default(),
            ))
        })
        .collect();
    Ok((action, inputs))
}

fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[when(
    regex = r#"^I submit the sign-in form as the (agent|supervisor)(?: with the password "([^"]*)")?$"#
)]
async fn submit_form(world: &mut CxWorld, alias: String, password: String) -> StepResult {
    let creds = credentials(world, &alias)?;
    let password = if password.is_empty() {
        creds.password.clone()
    } else {
        expand(world, &password)?
    };
    let last = world.last()?.clone();
    let (action, inputs) =
        parse_form(last.text()?).map_err(|e| format!("{}: {e}", last.describe()))?;
    let has_tenant = inputs.iter().any(|(n, _)| n == "tenant");
    let (tenant, user) = match creds.username.split_once('\\') {
        Some((t, u)) if has_tenant => (Some(t.to_string()), u.to_string()),
        _ => (None, creds.username.clone()),
    };
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in &inputs {
        match name.as_str() {
            "username" => form.append_pair(name, &user),
            "password" => form.append_pair(name, &password),
            "tenant" => form.append_pair(name, tenant.as_deref().unwrap_or("")),
            _ => form.append_pair(name, value),
        };
    }
    let path = match url::Url::parse(&action) {
        Ok(abs) => abs[url::Position::BeforePath..].to_string(),
        Err(_) => action.clone(),
    };
    let spec = RequestSpec {
        method: "POST".into(),
        path,
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        query: vec![],
        body: Some(form.finish().into_bytes()),
    };
    let exchange = world
        .client()?
        .send(&spec)
        .await
        .map_err(|e| e.to_string())?;
    world.last = Some(exchange);
    Ok(())
}

fn decode_segment(segment: &str) -> Result<Value, String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .map_err(|e| format!("JWT segment is not base64url: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("JWT segment is not JSON: {e}"))
}

/// The X-GWS-User header (reference 509) holds a JWT: three base64url parts, a JSON
/// header with `alg` and a JSON payload; with a schema name, the payload must match it.
#[then(
    regex = r#"^the X-GWS-User header holds a JWT(?: whose payload matches the schema "([^"]*)")?$"#
)]
fn jwt_payload_schema(world: &mut CxWorld, name: String) -> StepResult {
    let ctx = world.ctx()?.clone();
    let last = world.last()?;
    let jwt = last
        .header("x-gws-user")
        .ok_or_else(|| format!("{}: no X-GWS-User header", last.describe()))?;
    let parts: Vec<&str> = jwt.split('.').collect();
    if parts.len() != 3 {
        return Err(format!(
            "{}: X-GWS-User is not a JWT (expected 3 dot-separated parts, got {})",
            last.describe(),
            parts.len()
        ));
    }
    let header =
        decode_segment(parts[0]).map_err(|e| format!("{}: header: {e}", last.describe()))?;
    if header.get("alg").and_then(Value::as_str).is_none() {
        return Err(format!(
            "{}: JWT header has no alg: {header}",
            last.describe()
        ));
    }
    let payload =
        decode_segment(parts[1]).map_err(|e| format!("{}: payload: {e}", last.describe()))?;
    let violations = if name.is_empty() {
        Vec::new()
    } else {
        ctx.contract
            .schemas
            .get(&name)
            .ok_or_else(|| format!("unknown schema \"{name}\""))?
            .violations(&payload)
    };
    if !violations.is_empty() {
        let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
        return Err(format!(
            "{}: JWT payload does not match schema \"{name}\":\n{}",
            last.describe(),
            list.join("\n")
        ));
    }
    world
        .saved
        .insert("jwt_payload".into(), payload.to_string());
    Ok(())
}

/// The documented fields of `CloudUserDetails` (reference 857-873); the JWT of
/// `/jwt-userinfo` carries the same user information (reference 509).
const USER_DETAILS_FIELDS: [&str; 8] = [
    "authorities",
    "cmeUserName",
    "contactCenterId",
    "dbid",
    "environmentId",
    "loginName",
    "properties",
    "username",
];

/// The documented part of a CloudUserDetails field: a UserRole keeps only `name` and
/// `privileges` (reference 858-860), so a field added to a role is no difference.
fn documented_view(key: &str, value: &Value) -> Value {
    match (key, value) {
        ("authorities", Value::Array(roles)) => Value::Array(
            roles
                .iter()
                .map(|role| {
                    let mut kept = serde_json::Map::new();
                    for field in ["name", "privileges"] {
                        if let Some(v) = role.get(field) {
                            kept.insert(field.to_string(), v.clone());
                        }
                    }
                    Value::Object(kept)
                })
                .collect(),
        ),
        _ => value.clone(),
    }
}

#[then(expr = "the JWT payload agrees with the userinfo of the {word}")]
async fn jwt_agrees(world: &mut CxWorld, alias: String) -> StepResult {
    let payload: Value = world
        .saved
        .get("jwt_payload")
        .ok_or("no JWT payload saved; check the X-GWS-User header first")
        .and_then(|s| serde_json::from_str(s).map_err(|_| "saved JWT payload is not JSON"))?;
    let token = expand(world, &format!("{{token:{alias}}}"))?;
    let exchange = userinfo_status(world, &token).await?;
    if exchange.status != 200 {
        return Err(format!(
            "{}: expected 200 to compare with the JWT; body: {}",
            exchange.describe(),
            body_excerpt(&exchange)
        ));
    }
    let userinfo = exchange.json()?;
    if !userinfo.is_object() {
        return Err(format!(
            "{}: userinfo is not an object",
            exchange.describe()
        ));
    }
    // Only the documented fields are compared: a field added to /userinfo or to the
    // JWT is no disagreement (tolerant reader).
    for key in USER_DETAILS_FIELDS {
        let Some(value) = userinfo.get(key).map(|v| documented_view(key, v)) else {
            continue;
        };
        match payload.get(key).map(|v| documented_view(key, v)) {
            Some(v) if v == value => {}
            other => {
                return Err(format!(
                    "JWT payload /{key}: expected <{value}> as in {}, actual {}",
                    exchange.describe(),
                    other.map_or("no such claim".to_string(), |v| format!("<{v}>"))
                ))
            }
        }
    }
    Ok(())
}

/// The Configuration Server user name in a sign-in name `tenant\user`: the sign-in form
/// has a tenant field of its own (reference 564), so the part after the backslash is
/// the user's name in Configuration Server.
fn cme_name(sign_in: &str) -> &str {
    sign_in.rsplit_once('\\').map_or(sign_in, |(_, user)| user)
}

/// A string field of `body`, or `None` when absent; a present non-string is an error.
fn optional_str<'a>(body: &'a Value, key: &str, what: &str) -> Result<Option<&'a str>, String> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("{what}: /{key} is not a string: <{other}>")),
    }
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

#[then(regex = r"^the userinfo names the (agent|supervisor)$")]
fn userinfo_names(world: &mut CxWorld, alias: String) -> StepResult {
    let creds = credentials(world, &alias)?;
    let ccid = world.ctx()?.target.contact_center_id.clone();
    let last = world.last()?;
    let what = last.describe();
    let body = last.json()?;
    let name = cme_name(&creds.username);
    // Reference 873: username "includes the userName in Configuration Server".
    let username = optional_str(&body, "username", &what)?
        .ok_or_else(|| format!("{what}: no /username; body: {}", body_excerpt(last)))?;
    if !contains_ci(username, name) {
        return Err(format!(
            "{what}: /username <{username:?}> does not name the signed-in {alias}: it must include the Configuration Server user name {name:?} (reference 873)"
        ));
    }
    // Reference 863: cmeUserName is "the username in Configuration Server".
    if let Some(cme) = optional_str(&body, "cmeUserName", &what)? {
        if !cme.eq_ignore_ascii_case(name) {
            return Err(format!(
                "{what}: /cmeUserName: expected {name:?} (the {alias}'s Configuration Server user name, reference 863), actual {cme:?}"
            ));
        }
    }
    // Reference 864: "the ID of the contact center the user belongs to".
    contact_center(&body, "contactCenterId", 864, &what, &ccid)
}

/// Fails when the string field `key` of `body` is there and names another contact
/// center than `ccid` (case aside); `reference` is the line that documents the field.
fn contact_center(body: &Value, key: &str, reference: u32, what: &str, ccid: &str) -> StepResult {
    match optional_str(body, key, what)? {
        Some(cc) if !cc.eq_ignore_ascii_case(ccid) => Err(format!(
            "{what}: /{key}: expected {ccid:?} (the target's contact center, reference {reference}), actual {cc:?}"
        )),
        _ => Ok(()),
    }
}

#[then(regex = r"^the userinfo names the (agent|supervisor) exactly as it signed in$")]
fn userinfo_names_exactly(world: &mut CxWorld, alias: String) -> StepResult {
    let creds = credentials(world, &alias)?;
    let last = world.last()?;
    let what = last.describe();
    let body = last.json()?;
    let name = cme_name(&creds.username);
    let expect = [
        ("username", creds.username.as_str()),
        ("cmeUserName", name),
        ("loginName", name),
    ];
    for (key, expected) in expect {
        match optional_str(&body, key, &what)? {
            Some(actual) if actual == expected => {}
            other => {
                return Err(format!(
                    "{what}: /{key}: expected {expected:?}, actual {other:?}"
                ))
            }
        }
    }
    Ok(())
}

#[then(regex = r"^the OpenID userinfo names the (agent|supervisor)$")]
async fn openid_names(world: &mut CxWorld, alias: String) -> StepResult {
    let creds = credentials(world, &alias)?;
    let ccid = world.ctx()?.target.contact_center_id.clone();
    let last = world.last()?.clone();
    let what = last.describe();
    let body = last.json()?;
    let name = cme_name(&creds.username);
    // Every claim but authorities and properties is conditional (reference 686-702), so
    // each one is checked where present.
    if let Some(user_name) = optional_str(&body, "user_name", &what)? {
        if !contains_ci(user_name, name) {
            return Err(format!(
                "{what}: /user_name <{user_name:?}> does not name the signed-in {alias} ({name:?})"
            ));
        }
    }
    contact_center(&body, "contact_center_id", 690, &what, &ccid)?;
    // dbid has the same description in both models (reference 691 and 865).
    if let Some(dbid) = body.get("dbid") {
        let token = expand(world, &format!("{{token:{alias}}}"))?;
        let exchange = userinfo_status(world, &token).await?;
        let userinfo = exchange.json()?;
        if exchange.status != 200 || userinfo.get("dbid") != Some(dbid) {
            return Err(format!(
                "{what}: /dbid <{dbid}> differs from the dbid of the same token's {}: {:?}",
                exchange.describe(),
                userinfo.get("dbid")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_form_yields_its_action_and_inputs() {
        let html = r#"<form method="post" action="/auth/v3/sign-in">
<input type="hidden" name="state" value="a&amp;b">
<input type="text" name="username">
</form>"#;
        let (action, inputs) = parse_form(html).unwrap();
        assert_eq!(action, "/auth/v3/sign-in");
        assert_eq!(
            inputs,
            vec![
                ("state".into(), "a&b".into()),
                ("username".into(), String::new())
            ]
        );
    }
}
