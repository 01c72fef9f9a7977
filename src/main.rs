//! The `cxgate` command line: parses arguments, calls the library, maps errors to exit
//! codes (0 pass, 1 contract failures, 2 usage or configuration error).

use clap::{Parser, Subcommand};
use cxgate::contract::ContractModel;
use cxgate::mock::{MockConfig, MockServer};
use cxgate::verify::{self, VerifyOptions};
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a target against the contract (default: the embedded mock).
    Verify {
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
        /// Where junit.xml, cucumber.json and summary.txt go.
        #[arg(long, default_value = "reports")]
        report_dir: PathBuf,
        /// Run @destructive scenarios against a URL or profile target.
        #[arg(long)]
        allow_destructive: bool,
        /// Also run @strict scenarios (the mock's own choices where the reference is
        /// silent) against a target that is not the cxgate mock.
        #[arg(long)]
        strict: bool,
    },
    /// Serve the mock deployment.
    Mock {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Seed data (TOML) replacing the default seed; see targets/mock.toml.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Access-token lifetime in seconds, overriding the seed's.
        #[arg(long)]
        token_lifetime: Option<u64>,
    },
    /// Load-test the auth, statistics or messaging path (goose), gated by thresholds.
    Load {
        /// Which path: auth, statistics, messaging or all.
        #[arg(value_enum)]
        path: cxgate::load::LoadPath,
        /// `mock`, a base URL, or targets/NAME.toml.
        #[arg(long, default_value = "mock")]
        target: String,
        /// Concurrent users.
        #[arg(long, default_value_t = 10)]
        users: usize,
        /// Users started per second.
        #[arg(long, default_value = "10")]
        increase_rate: String,
        /// How long to run, e.g. 30s or 2m.
        #[arg(long, default_value = "30s", value_parser = parse_duration)]
        run_time: Duration,
        /// Stop after this many iterations of each user instead of after --run-time.
        #[arg(long)]
        iterations: Option<usize>,
        /// Where the HTML, JSON and markdown reports go.
        #[arg(long, default_value = "reports")]
        report_dir: PathBuf,
        /// A goose threshold, e.g. "p95<200ms", "error-rate<1%", "rps>100",
        /// "p99<300ms for POST token: password grant"; repeatable.
        #[arg(long = "threshold")]
        thresholds: Vec<String>,
        /// An earlier load-summary.json to compare with.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Allowed regression against the baseline, in percent (p95 up, rps down).
        #[arg(long, default_value_t = 10.0)]
        tolerance: f64,
        /// Check every Nth response against its schema (1 = every response).
        #[arg(long, default_value_t = 1)]
        sample_every: u64,
        /// Run the embedded mock as a child process (default: disturbs the generator
        /// least, measured) or in a thread of this process.
        #[arg(long, value_enum, default_value = "process")]
        mock_mode: cxgate::load::MockMode,
    },
    /// Catalog endpoints x {schema, scenario}.
    Coverage {
        /// Exit 1 when fewer endpoints than this are covered.
        #[arg(long)]
        fail_under: Option<usize>,
        /// List every endpoint, not only those with a schema or a scenario.
        #[arg(long)]
        all: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CXGATE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cxgate: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(dispatch(cli))
}

async fn dispatch(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Verify {
            target,
            tags,
            name,
            concurrency,
            timeout,
            report_dir,
            allow_destructive,
            strict,
        } => {
            let options = VerifyOptions {
                root: cli.root,
                target,
                tags,
                name,
                concurrency,
                timeout: Duration::from_secs(timeout),
                report_dir,
                allow_destructive,
                strict,
                env: Default::default(),
            };
            match verify::run(&options).await {
                Ok(outcome) => {
                    print!("{}", outcome.summary);
                    for path in &outcome.reports {
                        eprintln!("report: {}", path.display());
                    }
                    if outcome.result.passed() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(e) => {
                    eprintln!("cxgate verify: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Mock {
            listen,
            config,
            token_lifetime,
        } => {
            let mut config = match config {
                Some(path) => match MockConfig::from_file(&path) {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("cxgate mock: {e}");
                        return ExitCode::from(2);
                    }
                },
                None => MockConfig::default_seed(),
            };
            if let Some(secs) = token_lifetime {
                if secs == 0 {
                    eprintln!("cxgate mock: --token-lifetime must be at least 1 second");
                    return ExitCode::from(2);
                }
                config.auth.token_lifetime_secs = secs;
            }
            let server = match MockServer::start(config, listen).await {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("cxgate mock: {e}");
                    return ExitCode::from(2);
                }
            };
            println!(
                "cxgate mock listening on {} (Ctrl-C to stop)",
                server.base_url()
            );
            let _ = tokio::signal::ctrl_c().await;
            server.shutdown().await;
            ExitCode::SUCCESS
        }
        Command::Load {
            path,
            target,
            users,
            increase_rate,
            run_time,
            iterations,
            report_dir,
            thresholds,
            baseline,
            tolerance,
            sample_every,
            mock_mode,
        } => {
            let mut options = cxgate::load::LoadOptions::new(cli.root, path);
            options.target = target;
            options.users = users;
            options.increase_rate = increase_rate;
            options.run_time = run_time;
            options.iterations = iterations;
            options.report_dir = report_dir;
            options.thresholds = thresholds;
            options.baseline = baseline;
            options.tolerance_pct = tolerance;
            options.sample_every = sample_every;
            options.mock_mode = mock_mode;
            match cxgate::load::run(&options).await {
                Ok(outcome) => {
                    print!("{}", outcome.summary.markdown());
                    for path in &outcome.reports {
                        eprintln!("report: {}", path.display());
                    }
                    if outcome.summary.passed() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(e) => {
                    eprintln!("cxgate load: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Coverage { fail_under, all } => {
            let model = match ContractModel::load(&cli.root) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("cxgate coverage: {e}");
                    return ExitCode::from(2);
                }
            };
            let (rows, table) = cxgate::report::coverage_table(&model, all);
            print!("{table}");
            let covered = rows.iter().filter(|r| r.covered()).count();
            match fail_under {
                Some(n) if covered < n => {
                    eprintln!(
                        "cxgate coverage: {covered} endpoints covered, fewer than --fail-under {n}"
                    );
                    ExitCode::from(1)
                }
                _ => ExitCode::SUCCESS,
            }
        }
    }
}

/// Parses `30s`, `2m`, `1h` or bare seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?}: expected a whole number with s, m or h, e.g. 30s"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        other => return Err(format!("{text:?}: unknown unit {other:?}; use s, m or h")),
    };
    if secs == 0 {
        return Err("the run time must be at least 1s".into());
    }
    Ok(Duration::from_secs(secs))
}
