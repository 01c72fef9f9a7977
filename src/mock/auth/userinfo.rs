//! `GET /userinfo`, `GET /openid/userinfo` and `GET /jwt-userinfo`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::super::kernel::caller::authenticate;
use super::super::kernel::envelope::{api_ok, status_error};
use super::super::kernel::identity::{MockState, Principal, Session};
use super::super::kernel::seed::{IdentitySeed, TenantConfig, UserConfig};
use super::jwt::sign_hs256;

/// Role reported for a client-only (client_credentials) token; the reference
/// is silent on these, so the name is the mock's.
const CLIENT_ROLE: &str = "ROLE_CLIENT";

fn authorities(user: &UserConfig) -> Value {
    Value::Array(
        user.roles
            .iter()
            .map(|r| json!({ "name": r.name, "privileges": r.privileges }))
            .collect(),
    )
}

fn client_authorities() -> Value {
    json!([{ "name": CLIENT_ROLE, "privileges": [] }])
}

/// The session's user and tenant; `None` for a client-only token.
fn user_of<'c>(
    config: &'c IdentitySeed,
    session: &Session,
) -> Option<(&'c UserConfig, &'c TenantConfig)> {
    let Principal::User(username) = &session.principal else {
        return None;
    };
    let user = config.user(username)?;
    Some((user, config.tenant(user.tenant())?))
}

/// A stable UUID-shaped OpenID `sub` for a user: the first 16 bytes of
/// SHA-256(`contact_center_id:dbid`) as a version 8 UUID. The reference
/// (line ~700) only says "OpenID Connect 'sub' claim".
fn subject(user: &UserConfig, tenant: &TenantConfig) -> String {
    let digest = Sha256::digest(format!("{}:{}", tenant.contact_center_id, user.dbid));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// `CloudUserDetails` (reference 857-873). A client-only token gets
/// `authorities`, `username` (the client ID) and `properties` only.
pub fn cloud_user_details(config: &IdentitySeed, session: &Session) -> Value {
    match user_of(config, session) {
        Some((user, tenant)) => json!({
            "authorities": authorities(user),
            "cmeUserName": user.cme_user_name(),
            "contactCenterId": tenant.contact_center_id,
            "dbid": user.dbid,
            "environmentId": tenant.environment_id,
            "loginName": user.cme_user_name(),
            "properties": user.properties,
            "username": user.username,
        }),
        None => json!({
            "authorities": client_authorities(),
            "username": session.client_id,
            "properties": {},
        }),
    }
}

/// `OpenIdUserInfo` (reference 681-702). A client-only token gets `sub` and
/// `aud` (both the client ID), `authorities` and `properties` only.
pub fn openid_user_info(config: &IdentitySeed, session: &Session) -> Value {
    match user_of(config, session) {
        Some((user, tenant)) => json!({
            "sub": subject(user, tenant),
            "aud": session.client_id,
            "authorities": authorities(user),
            "contact_center_id": tenant.contact_center_id,
            "dbid": user.dbid,
            "email": user.email,
            "environment_id": tenant.environment_id,
            "family_name": user.family_name,
            "given_name": user.given_name,
            "properties": user.properties,
            "user_name": user.cme_user_name(),
        }),
        None => json!({
            "sub": session.client_id,
            "aud": session.client_id,
            "authorities": client_authorities(),
            "properties": {},
        }),
    }
}

/// `GET /userinfo`.
pub async fn userinfo(State(state): State<Arc<MockState>>, headers: HeaderMap) -> Response {
    match authenticate(&state, &headers) {
        Ok(session) => Json(cloud_user_details(state.seed(), &session)).into_response(),
        Err(response) => response,
    }
}

/// `GET /openid/userinfo`.
pub async fn openid_userinfo(State(state): State<Arc<MockState>>, headers: HeaderMap) -> Response {
    match authenticate(&state, &headers) {
        Ok(session) => Json(openid_user_info(state.seed(), &session)).into_response(),
        Err(response) => response,
    }
}

/// `GET /jwt-userinfo`: an `ApiResponse` plus `X-GWS-User`, an HS256 JWT whose
/// payload is the `/userinfo` object plus `iat` (now, mock clock) and `exp`
/// (the access token's expiry); the reference gives neither claim's meaning.
pub async fn jwt_userinfo(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let session = authenticate(&state, &headers)?;
    let mut claims = match cloud_user_details(state.seed(), &session) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    claims.insert("iat".into(), json!(state.now_secs()));
    claims.insert("exp".into(), json!(session.expires_at_secs));
    let jwt = sign_hs256(
        &Value::Object(claims),
        state.seed().auth.jwt_secret.as_bytes(),
    );
    let value = HeaderValue::from_str(&jwt).map_err(|_| {
        status_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot encode X-GWS-User",
        )
    })?;
    let mut response = Json(api_ok("/auth/v3/jwt-userinfo")).into_response();
    response.headers_mut().insert("x-gws-user", value);
    Ok(response)
}
