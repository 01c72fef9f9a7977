//! `cxgate mock` served on its own port and verified by URL, as a user would run it:
//! every scenario passes, @mock ones included (the control plane answers);
//! @destructive ones run only with --allow-destructive.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cxgate::mock::{MockConfig, MockServer};
use cxgate::report::Status;
use cxgate::verify::{run, VerifyOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_passes_against_the_mock_by_url() {
    let server = MockServer::start(MockConfig::default_seed(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut options = VerifyOptions::new(root);
    options.target = server.base_url();
    options.report_dir = std::env::temp_dir().join(format!("cxgate-by-url-{}", std::process::id()));
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
        .collect();
    assert!(
        !skipped.is_empty(),
        "the @destructive scenario is skipped without --allow-destructive"
    );
    assert!(
        skipped
            .iter()
            .all(|s| s.tags.iter().any(|t| t == "destructive")),
        "only @destructive scenarios are skipped"
    );
    let mock_ran = outcome
        .result
        .features
        .iter()
        .flat_map(|f| &f.scenarios)
        .filter(|s| s.tags.iter().any(|t| t == "mock") && s.status == Status::Passed)
        .count();
    assert!(
        mock_ran > 0,
        "@mock scenarios run where the control plane answers"
    );

    options.allow_destructive = true;
    options.tags = Some("@destructive".into());
    let outcome = run(&options).await.unwrap();
    assert_eq!(outcome.result.totals().skipped, 0, "{}", outcome.summary);
    assert_eq!(outcome.result.totals().failed, 0, "{}", outcome.summary);
    assert!(outcome.result.totals().passed > 0);
    server.shutdown().await;
}
