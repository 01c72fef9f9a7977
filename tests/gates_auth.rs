//! The Authentication API gates catch the wrong servers they name: each test puts a
//! fault proxy in front of the cxgate mock, breaks one behaviour (another user's
//! details on userinfo, a redirect to a URI that only starts like the registered one,
//! an old password that still works after a change), runs the scenario that claims to
//! catch it and checks that it FAILS at the right step; an honest proxy, or one that
//! only adds fields, lets the same scenarios pass.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/verdict.rs"]
mod verdict;

use verdict::{all_passed, failure_of};

use cxgate::mock::{MockConfig, MockServer};
use cxgate::report::RunResult;
use fault_proxy::{FaultProxy, ProxiedRequest, ProxiedResponse, Rewrite};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const USERINFO: &str = "/userinfo describes the signed-in user";
const USERINFO_OTHER: &str = "/userinfo describes the user of the token, not another one";
const OPENID: &str = "/openid/userinfo describes the signed-in user with OpenID claims";
const REDIRECT_ERROR: &str = "An unsupported response_type goes back to the client as an error";
const REDIRECT_FRAGMENT: &str = "The implicit grant puts the access token in the fragment";
const REDIRECT_CODE: &str =
    "A user's Basic credentials sign in without a form and redirect with a code";
const CHANGE_PASSWORD: &str = "After a change the old password stops working and the new one works";
const JWT_AGREES: &str = "The JWT payload of /jwt-userinfo agrees with /userinfo";

/// The seed's agent (targets/mock.toml), as the target config defaults to it.
const AGENT: &str = "tenant1\\agent1";
const AGENT_PASSWORD: &str = "agent1-password";

struct Deployment {
    mock: MockServer,
    proxy: FaultProxy,
}

async fn behind_proxy(rewrite: Rewrite) -> Deployment {
    let mock = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the mock starts");
    let proxy = FaultProxy::start(&mock.base_url(), rewrite).await;
    Deployment { mock, proxy }
}

fn honest() -> Rewrite {
    Arc::new(|_, _| {})
}

async fn verify(target: &str, scenarios: &[&str], strict: bool) -> RunResult {
    let mut options = verdict::options(target, scenarios, "gates-auth");
    options.tags = Some("@auth".into());
    options.strict = strict;
    options.allow_destructive = true;
    verdict::result(&options).await
}

/// Rewrites a JSON answer of `path` with `change`.
fn on_json(path: &'static str, change: fn(&mut Value)) -> Rewrite {
    Arc::new(
        move |request: &ProxiedRequest, response: &mut ProxiedResponse| {
            if request.path() != path || response.status != 200 {
                return;
            }
            if let Some(mut body) = response.json_body() {
                change(&mut body);
                response.set_json_body(&body);
            }
        },
    )
}

/// Userinfo answers that describe another user of the same tenant.
fn another_user() -> Rewrite {
    let userinfo = on_json("/auth/v3/userinfo", |body| {
        body["username"] = json!("tenant1\\other");
        body["cmeUserName"] = json!("other");
        body["loginName"] = json!("other");
    });
    let openid = on_json("/auth/v3/openid/userinfo", |body| {
        body["user_name"] = json!("other");
    });
    Arc::new(move |request, response| {
        userinfo(request, response);
        openid(request, response);
    })
}

#[tokio::test]
async fn userinfo_of_another_user_fails_the_userinfo_scenarios() {
    let deployment = behind_proxy(another_user()).await;
    let result = verify(
        &deployment.proxy.uri(),
        &[USERINFO, USERINFO_OTHER, OPENID],
        false,
    )
    .await;
    let reason = failure_of(&result, USERINFO);
    assert!(reason.contains("/username"), "{reason}");
    assert!(
        reason.contains("tenant1\\\\other") || reason.contains("other"),
        "{reason}"
    );
    let reason = failure_of(&result, USERINFO_OTHER);
    assert!(
        reason.contains("does not name the signed-in supervisor"),
        "{reason}"
    );
    let reason = failure_of(&result, OPENID);
    assert!(reason.contains("/user_name"), "{reason}");
}

#[tokio::test]
async fn the_userinfo_scenarios_pass_behind_an_honest_proxy() {
    let deployment = behind_proxy(honest()).await;
    let result = verify(
        &deployment.proxy.uri(),
        &[
            USERINFO,
            USERINFO_OTHER,
            OPENID,
            REDIRECT_ERROR,
            REDIRECT_FRAGMENT,
            REDIRECT_CODE,
        ],
        false,
    )
    .await;
    all_passed(&result, 6);
}

/// Authorize redirects go to `http://127.0.0.1/callbackevil`, of which the registered
/// `http://127.0.0.1/callback` is a prefix.
fn redirect_to_a_longer_uri() -> Rewrite {
    Arc::new(|request: &ProxiedRequest, response: &mut ProxiedResponse| {
        if request.path() != "/auth/v3/oauth/authorize" {
            return;
        }
        if let Some(location) = response.header("location").map(str::to_string) {
            let evil = location.replacen("/callback", "/callbackevil", 1);
            assert_ne!(evil, location, "the seed's redirect URI ends in /callback");
            response.set_header("Location", &evil);
        }
    })
}

#[tokio::test]
async fn a_redirect_to_a_uri_that_only_starts_like_the_registered_one_fails() {
    let deployment = behind_proxy(redirect_to_a_longer_uri()).await;
    let result = verify(
        &deployment.proxy.uri(),
        &[REDIRECT_ERROR, REDIRECT_FRAGMENT, REDIRECT_CODE],
        false,
    )
    .await;
    for scenario in [REDIRECT_ERROR, REDIRECT_FRAGMENT, REDIRECT_CODE] {
        let reason = failure_of(&result, scenario);
        assert!(
            reason.contains("expected a redirect to the registered redirect URI")
                && reason.contains("callbackevil"),
            "{scenario}: {reason}"
        );
    }
}

/// The form fields of a token request.
fn form(request: &ProxiedRequest) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

/// After a password change succeeded, the next password grant with the original
/// password is answered as if it still worked (a server with a grace period), once.
fn old_password_works_once_after_a_change() -> (Rewrite, Arc<AtomicUsize>) {
    let changed = Arc::new(AtomicBool::new(false));
    let faked = Arc::new(AtomicUsize::new(0));
    let counter = faked.clone();
    let rewrite: Rewrite = Arc::new(
        move |request: &ProxiedRequest, response: &mut ProxiedResponse| {
            if request.path() == "/auth/v3/change-password" && response.status == 200 {
                changed.store(true, Ordering::SeqCst);
                return;
            }
            if request.path() != "/auth/v3/oauth/token" || !changed.load(Ordering::SeqCst) {
                return;
            }
            let fields = form(request);
            let is_original = fields
                .iter()
                .any(|(k, v)| k == "password" && v == AGENT_PASSWORD);
            if is_original && response.status == 400 && faked.load(Ordering::SeqCst) == 0 {
                faked.fetch_add(1, Ordering::SeqCst);
                *response = ProxiedResponse::json(
                    200,
                    &json!({"access_token": "9b2d1c3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e", "token_type": "bearer",
                        "expires_in": 3600, "refresh_token": "3c8a7f21-6d4e-4b9a-a1c2-5e6f7a8b9c0d", "scope": "*"}),
                );
            }
        },
    );
    (rewrite, counter)
}

/// A password grant for the agent straight at the mock (no proxy): the status.
async fn agent_signs_in_directly(mock: &MockServer, password: &str) -> u16 {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "password")
        .append_pair("username", AGENT)
        .append_pair("password", password)
        .append_pair("scope", "*")
        .finish();
    reqwest::Client::new()
        .post(format!("{}/auth/v3/oauth/token", mock.base_url()))
        .header("x-api-key", "cxgate-api-key")
        .basic_auth("cxgate-client", Some("cxgate-secret"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("the mock answers")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_failed_password_change_scenario_still_puts_the_original_password_back() {
    let (rewrite, faked) = old_password_works_once_after_a_change();
    let deployment = behind_proxy(rewrite).await;
    let result = verify(&deployment.proxy.uri(), &[CHANGE_PASSWORD], false).await;
    let reason = failure_of(&result, CHANGE_PASSWORD);
    assert!(
        reason.contains("expected it cannot sign in"),
        "the scenario fails where the old password still works: {reason}"
    );
    assert!(
        !reason.contains("cleanup"),
        "the cleanup succeeded: {reason}"
    );
    assert_eq!(
        faked.load(Ordering::SeqCst),
        1,
        "the fault was injected once"
    );
    // Straight at the mock: the cleanup changed the password back.
    assert_eq!(
        agent_signs_in_directly(&deployment.mock, AGENT_PASSWORD).await,
        200
    );
    assert_eq!(
        agent_signs_in_directly(&deployment.mock, &format!("{AGENT_PASSWORD}-changed")).await,
        400,
        "the password set by the scenario no longer works"
    );
}

#[tokio::test]
async fn the_password_change_scenario_passes_behind_an_honest_proxy() {
    let deployment = behind_proxy(honest()).await;
    let result = verify(&deployment.proxy.uri(), &[CHANGE_PASSWORD], false).await;
    all_passed(&result, 1);
    assert_eq!(
        agent_signs_in_directly(&deployment.mock, AGENT_PASSWORD).await,
        200
    );
}

#[tokio::test]
async fn an_added_userinfo_field_does_not_fail_the_jwt_comparison() {
    let rewrite: Rewrite = Arc::new(|request: &ProxiedRequest, response: &mut ProxiedResponse| {
        if request.path() != "/auth/v3/userinfo" || response.status != 200 {
            return;
        }
        if let Some(mut body) = response.json_body() {
            fault_proxy::add_field_everywhere(&mut body, "newField", &json!(1));
            assert_eq!(body["newField"], 1);
            response.set_json_body(&body);
        }
    });
    let deployment = behind_proxy(rewrite).await;
    let result = verify(&deployment.proxy.uri(), &[JWT_AGREES, USERINFO], true).await;
    all_passed(&result, 2);
}

#[tokio::test]
async fn a_jwt_that_disagrees_with_userinfo_fails_the_jwt_comparison() {
    let deployment = behind_proxy(on_json("/auth/v3/userinfo", |body| {
        body["dbid"] = json!(999);
    }))
    .await;
    let result = verify(&deployment.proxy.uri(), &[JWT_AGREES], true).await;
    let reason = failure_of(&result, JWT_AGREES);
    assert!(reason.contains("JWT payload /dbid"), "{reason}");
}
