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
    },
    /// Serve the mock deployment.
    Mock {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Seed data (TOML) replacing the default seed; see targets/mock.toml.
        #[arg(long)]
        config: Option<PathBuf>,
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
        Command::Mock { listen, config } => {
            let config = match config {
                Some(path) => match MockConfig::from_file(&path) {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("cxgate mock: {e}");
                        return ExitCode::from(2);
                    }
                },
                None => MockConfig::default_seed(),
            };
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
