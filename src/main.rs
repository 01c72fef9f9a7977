//! The `cxgate` command line: parses arguments, calls the library, maps outcomes and
//! errors to exit codes (0 pass, 1 contract failures, 2 usage or configuration error).

use clap::{Parser, Subcommand};
use cxgate::client::WebhookEndpoint;
use cxgate::contract::ContractModel;
use cxgate::load::LoadOptions;
use cxgate::mock::{MockConfig, MockServer};
use cxgate::verify::{self, VerifyOptions};
use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "cxgate",
    version,
    about = "Contract and load tests for the Genesys Multicloud CX web APIs"
)]
struct Cli {
    /// Project root holding features/ and schemas/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Send requests to a non-loopback target through this proxy (default: HTTPS_PROXY /
    /// HTTP_PROXY; NO_PROXY is honoured; loopback addresses are never proxied).
    #[arg(long, global = true, value_name = "URL")]
    proxy: Option<String>,
    /// Also trust the certificates of this PEM bundle (default: SSL_CERT_FILE, if set).
    #[arg(long, global = true, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// At most N requests a second to the target, all scenarios together (verify).
    #[arg(long, global = true, value_name = "N")]
    max_rps: Option<std::num::NonZeroU32>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a target against the contract (default: the embedded mock).
    Verify(VerifyArgs),
    /// Serve the mock deployment.
    Mock(MockArgs),
    /// Load-test the auth, statistics, messaging or export path (goose), gated by thresholds.
    Load(LoadOptions),
    /// Catalog endpoints x {schema, scenario}.
    Coverage(CoverageArgs),
}

// The flags of `cxgate verify`.
#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// `mock`, a base URL (credentials from CXGATE_* env vars), or targets/NAME.toml.
    #[arg(long, default_value = "mock")]
    target: String,
    /// Tag expression, e.g. "@auth and not @mock".
    #[arg(long)]
    tags: Option<String>,
    /// Only scenarios whose name matches this regex.
    #[arg(long)]
    name: Option<String>,
    /// Scenarios run at once (@serial ones always run alone).
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Where report.html, junit.xml, cucumber.json and summary.txt go.
    #[arg(long, default_value = "reports")]
    report_dir: PathBuf,
    /// Against a target that is not a cxgate mock: also run the scenarios that create
    /// test data (each one cleaned up after it, even when it fails).
    #[arg(long)]
    allow_writes: bool,
    /// Against a target that is not a cxgate mock: also run the irreversible scenarios
    /// (password change, global sign-out); implies --allow-writes.
    #[arg(long)]
    allow_destructive: bool,
    /// Also run @strict scenarios (the mock's own choices where the reference is
    /// silent) against a target that is not the cxgate mock.
    #[arg(long)]
    strict: bool,
    /// Where this run's webhook receiver listens, e.g. 0.0.0.0:8443: a deployment
    /// without the cxgate control plane posts its webhooks there (the @receiver
    /// scenarios); needs --webhook-public-url.
    #[arg(long, value_name = "ADDR", requires = "webhook_public_url")]
    webhook_listen: Option<std::net::SocketAddr>,
    /// The URL the deployment is configured to post webhooks to, which reaches
    /// --webhook-listen (through a tunnel, a load balancer or a port forward).
    #[arg(long, value_name = "URL", requires = "webhook_listen",
          value_parser = cxgate::client::parse_public_url)]
    webhook_public_url: Option<String>,
}

impl VerifyArgs {
    fn options(self, root: PathBuf) -> VerifyOptions {
        VerifyOptions {
            target: self.target,
            tags: self.tags,
            name: self.name,
            concurrency: self.concurrency,
            timeout: Duration::from_secs(self.timeout),
            report_dir: self.report_dir,
            allow_destructive: self.allow_destructive,
            allow_writes: self.allow_writes,
            strict: self.strict,
            webhook: self
                .webhook_listen
                .zip(self.webhook_public_url)
                .map(|(listen, public_url)| WebhookEndpoint { listen, public_url }),
            ..VerifyOptions::new(root)
        }
    }
}

// The flags of `cxgate mock`.
#[derive(Debug, clap::Args)]
struct MockArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Seed data (TOML) replacing the default seed; see targets/mock.toml.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Access-token lifetime in seconds, overriding the seed's.
    #[arg(long)]
    token_lifetime: Option<u64>,
}

// The flags of `cxgate coverage`.
#[derive(Debug, clap::Args)]
struct CoverageArgs {
    /// Exit 1 when fewer endpoints than this are covered.
    #[arg(long)]
    fail_under: Option<usize>,
    /// List every endpoint, not only those with a schema or a scenario.
    #[arg(long)]
    all: bool,
}

/// How a command that ran came out: `Ok(true)` passed, `Ok(false)` failed its gate;
/// an error is a usage or configuration mistake.
type Outcome = Result<bool, Box<dyn Error>>;

/// The exit codes of every command (README).
#[derive(Debug, Clone, Copy)]
enum Exit {
    /// Everything that ran passed (also: help and version).
    Passed = 0,
    /// At least one contract failure, or a failed gate.
    Failed = 1,
    /// A usage or configuration mistake.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// The one mapping of an outcome to its exit code; an error is printed as
/// `cxgate COMMAND: error`.
fn exit_code(command: &str, outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(true) => Exit::Passed.into(),
        Ok(false) => Exit::Failed.into(),
        Err(e) => {
            eprintln!("{command}: {e}");
            Exit::Usage.into()
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            let exit = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Passed
            };
            return exit.into();
        }
    };
    match cxgate::client::Transport::new(
        cli.proxy.as_deref(),
        cli.ca_cert.as_deref(),
        std::env::var("SSL_CERT_FILE").ok(),
    ) {
        Ok(transport) => match cli.max_rps {
            Some(rps) => transport.max_rps(rps).install(),
            None => transport.install(),
        },
        Err(e) => return exit_code("cxgate", Err(e.into())),
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CXGATE_LOG")
                // goose warns once per failed request; the summary counts them instead.
                .unwrap_or_else(|_| "warn,goose=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            let e = format!("cannot start the async runtime: {e}");
            return exit_code("cxgate", Err(e.into()));
        }
    };
    let (command, outcome) = runtime.block_on(async {
        match cli.command {
            Command::Verify(args) => ("cxgate verify", verify(args.options(cli.root)).await),
            Command::Mock(args) => ("cxgate mock", mock(args).await),
            Command::Load(options) => {
                let options = LoadOptions {
                    root: cli.root,
                    ..options
                };
                ("cxgate load", load(options).await)
            }
            Command::Coverage(args) => ("cxgate coverage", coverage(&cli.root, args)),
        }
    });
    exit_code(command, outcome)
}

async fn verify(options: VerifyOptions) -> Outcome {
    let outcome = verify::run(&options).await?;
    print!("{}", outcome.summary);
    for path in &outcome.reports {
        eprintln!("report: {}", path.display());
    }
    Ok(outcome.result.passed())
}

async fn load(options: LoadOptions) -> Outcome {
    let outcome = cxgate::load::run(&options).await?;
    print!("{}", outcome.summary.markdown());
    for path in &outcome.reports {
        eprintln!("report: {}", path.display());
    }
    Ok(outcome.passed())
}

async fn mock(args: MockArgs) -> Outcome {
    let mut config = match args.config {
        Some(path) => MockConfig::from_file(&path)?,
        None => MockConfig::default_seed(),
    };
    if let Some(secs) = args.token_lifetime {
        if secs == 0 {
            return Err("--token-lifetime must be at least 1 second".into());
        }
        config.auth.token_lifetime_secs = secs;
    }
    let server = MockServer::start(config, args.listen).await?;
    println!(
        "cxgate mock listening on {} (Ctrl-C to stop)",
        server.base_url()
    );
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    Ok(true)
}

fn coverage(root: &std::path::Path, args: CoverageArgs) -> Outcome {
    let model = ContractModel::load(root)?;
    let (rows, table) = cxgate::report::coverage_table(&model, args.all);
    print!("{table}");
    let covered = rows.iter().filter(|r| r.covered()).count();
    match args.fail_under {
        Some(n) if covered < n => {
            eprintln!("cxgate coverage: {covered} endpoints covered, fewer than --fail-under {n}");
            Ok(false)
        }
        _ => Ok(true),
    }
}
