//! A deployment that differs from the default seed in every value a tenant chooses
//! (`targets/other-tenant.toml`, served by the mock) passes the whole suite through its
//! profile, `--allow-destructive` included: no scenario depends on the default seed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cxgate::mock::{MockConfig, MockServer};
use cxgate::report::Status;
use cxgate::verify::{run, VerifyOptions};
use std::collections::HashMap;
use std::path::Path;

/// The credentials of `targets/other-tenant.toml`, under the names its `[target.env]` gives.
fn acme_env() -> HashMap<String, String> {
    [
        ("ACME_API_KEY", "acme-gateway-key-7f3a"),
        ("ACME_CLIENT_ID", "acme-integration"),
        ("ACME_CLIENT_SECRET", "acme-client-secret-91"),
        ("ACME_REDIRECT_URI", "https://app.acme.test/oauth/return"),
        ("ACME_USERNAME", "acme\\alice.ng"),
        ("ACME_PASSWORD", "Alice-Pass-2026!"),
        ("ACME_SUPERVISOR_USERNAME", "acme\\bruno.k"),
        ("ACME_SUPERVISOR_PASSWORD", "Bruno-Pass-2026!"),
        ("ACME_CCID", "9b2c4d6e-8f10-4a12-b314-c5d6e7f80912"),
        ("ACME_SMS_CHANNEL", "4915112345678"),
        ("ACME_EMAIL_CHANNEL", "support.acme.test"),
        ("ACME_CHANNEL_SECRET", "acme-channel-hmac-55"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_suite_passes_against_another_tenant_through_its_profile() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed_path = root.join("targets").join("other-tenant.toml");
    let config = MockConfig::from_file(&seed_path).unwrap();
    assert_ne!(config, MockConfig::default_seed());
    let server = MockServer::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();

    // The profile as a user keeps it, pointed at the port this mock listens on.
    let text = std::fs::read_to_string(&seed_path).unwrap();
    let profile = text.replace(
        "base_url = \"http://127.0.0.1:8091\"",
        &format!("base_url = \"{}\"", server.base_url()),
    );
    assert_ne!(
        profile, text,
        "the profile's base_url line is where the test expects it"
    );
    let dir = std::env::temp_dir().join(format!("cxgate-other-tenant-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile_path = dir.join("other-tenant.toml");
    std::fs::write(&profile_path, profile).unwrap();

    let mut options = VerifyOptions::new(root);
    options.target = profile_path.display().to_string();
    options.allow_destructive = true;
    options.env = acme_env();
    options.report_dir = dir.join("reports");
    let outcome = run(&options).await.unwrap();
    print!("{}", outcome.summary);
    let totals = outcome.result.totals();
    assert_eq!(totals.failed, 0, "{}", outcome.summary);
    let skipped: Vec<_> = outcome
        .result
        .features
        .iter()
        .flat_map(|f| &f.scenarios)
        .filter(|s| s.status == Status::Skipped)
        .map(|s| s.name.clone())
        .collect();
    assert!(
        skipped.is_empty(),
        "nothing is skipped on cxgate mock with --allow-destructive: {skipped:?}"
    );
    assert!(totals.passed > 200, "{}", outcome.summary);
    server.shutdown().await;
}
