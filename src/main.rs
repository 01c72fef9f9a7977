//! The `cxgate` command line: parses arguments, calls the library, maps outcomes and
//! errors to exit codes (0 pass, 1 contract failures, 2 usage or configuration error).

use clap::{CommandFactory as _, Parser, Subcommand};

/// The mock and the load generator allocate a small string or two per request, from many
/// threads: mimalloc serves that with less time in the allocator than the system's
/// (benches/load_table.sh, README "Measurements").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use cxgate::client::WebhookEndpoint;
use cxgate::contract::{ContractModel, ContractSource};
use cxgate::load::{LoadOptions, MergeOptions};
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
    /// A directory holding features/ and schemas/ that replaces the contract built into
    /// cxgate.
    #[arg(long, global = true, value_name = "DIR", alias = "root")]
    contract_dir: Option<PathBuf>,
    /// Send requests to a non-loopback target through this proxy (default: HTTPS_PROXY /
    /// HTTP_PROXY; NO_PROXY is honoured; loopback addresses are never proxied).
    #[arg(long, global = true, value_name = "URL")]
    proxy: Option<String>,
    /// Also trust the certificates of this PEM bundle (default: SSL_CERT_FILE, if set).
    #[arg(long, global = true, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// At most N requests a second to the target, all scenarios (probe: checks) together
    /// (verify, probe).
    #[arg(long, global = true, value_name = "N")]
    max_rps: Option<std::num::NonZeroU32>,
    /// Print only failures and the totals: no progress line, no report paths.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Trace every request (-v: method, URL, status, time; -vv: headers and bodies too),
    /// with secrets masked, on stderr.
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a target against the contract (default: the embedded mock).
    Verify(VerifyArgs),
    /// Negative and security checks of every catalog endpoint, generated from the
    /// contract: keys, tokens, signatures, bad parameters and bodies, methods.
    Probe(ProbeArgs),
    /// Serve the mock deployment.
    Mock(MockArgs),
    /// Load-test the auth, statistics, messaging or export path (goose), gated by thresholds;
    /// `cxgate load merge` merges the shards of a run spread over machines.
    Load(Box<LoadArgs>),
    /// Catalog endpoints x {schema, scenario}.
    Coverage(CoverageArgs),
    /// Print a shell completion script, e.g. `cxgate completions bash > ~/.local/share/bash-completion/completions/cxgate`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

// `cxgate load PATH [flags]`, or `cxgate load merge FILES... [flags]`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct LoadArgs {
    #[command(subcommand)]
    command: Option<LoadCommand>,
    #[command(flatten)]
    run: Option<LoadOptions>,
}

#[derive(Debug, Subcommand)]
enum LoadCommand {
    /// Merge the --metrics-out files of every shard of one run: the same summaries and
    /// HTML report as a single run, its thresholds and baseline judged on the merged
    /// histograms; exit 0, 1 or 2 as `cxgate load`.
    Merge(MergeOptions),
}

/// How a summary is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people.
    Text,
    /// One JSON document on stdout.
    Json,
}

// The flags `verify` and `probe` share: the target, the timeout, the reports and the
// change levels.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// `mock`, a base URL (credentials from CXGATE_* env vars), or targets/NAME.toml.
    #[arg(long, default_value = "mock")]
    target: String,
    /// Per-request timeout, e.g. 500ms, 10s or 1m.
    #[arg(long, default_value = "10s", value_name = "DURATION", allow_hyphen_values = true,
          value_parser = cxgate::duration::parse_duration)]
    timeout: Duration,
    /// Where the reports go (verify: report.html, junit.xml, cucumber.json, summary.txt;
    /// probe: probe.html, probe-junit.xml, probe.json, probe-coverage.txt).
    #[arg(long, default_value = "reports")]
    report_dir: PathBuf,
    /// Against a target that is not a cxgate mock: also run the scenarios (probe: the
    /// checks) that create test data or would, were they accepted.
    #[arg(long)]
    allow_writes: bool,
    /// Against a target that is not a cxgate mock: also run the irreversible scenarios
    /// (password change, global sign-out; probe: certificate uploads); implies
    /// --allow-writes.
    #[arg(long)]
    allow_destructive: bool,
    /// Also run @strict scenarios (the mock's own choices where the reference is
    /// silent) against a target that is not the cxgate mock; probe: judge those rules.
    #[arg(long)]
    strict: bool,
}

// The flags of `cxgate probe`.
#[derive(Debug, clap::Args)]
struct ProbeArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Only these APIs (repeatable): auth, statistics, secure-email, openmedia,
    /// messaging, webhooks, udm, cdds, or a path segment such as data-download.
    #[arg(long = "api", value_name = "API")]
    apis: Vec<String>,
    /// Only these check families (repeatable): security, params, body, methods, positive.
    #[arg(long = "family", value_name = "FAMILY", value_parser = parse_family)]
    families: Vec<cxgate::probe::Family>,
    /// The seed of the generated values: the same seed, the same cases in the same order.
    #[arg(long)]
    seed: Option<u64>,
    /// Generate the checks that draw values this many times, each round with new values
    /// (ids, wrong keys, wrong-type values) from the seed.
    #[arg(long, default_value_t = 1, value_name = "N")]
    rounds: usize,
    /// The most requests sent to the target (set-up included); what does not fit is
    /// reported as not run.
    #[arg(long, value_name = "N")]
    max_requests: Option<u64>,
    /// Checks sent at once; default 8 on the mock, 2 on any other target.
    #[arg(long)]
    concurrency: Option<usize>,
    /// Print the cases, with what each sends and the rules that judge it; sends no
    /// request.
    #[arg(long)]
    list: bool,
    /// How the summary (or the --list) is printed on stdout.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn parse_family(text: &str) -> Result<cxgate::probe::Family, String> {
    cxgate::probe::Family::parse(text).ok_or_else(|| {
        format!("{text:?} is no check family: security, params, body, methods or positive")
    })
}

impl ProbeArgs {
    fn options(self, root: PathBuf) -> cxgate::probe::ProbeOptions {
        cxgate::probe::ProbeOptions {
            target: self.run.target,
            timeout: self.run.timeout,
            report_dir: self.run.report_dir,
            allow_writes: self.run.allow_writes,
            allow_destructive: self.run.allow_destructive,
            strict: self.run.strict,
            selection: cxgate::probe::Selection {
                apis: self.apis,
                families: self.families,
                rounds: self.rounds,
            },
            seed: self.seed,
            max_requests: self.max_requests,
            concurrency: self.concurrency,
            ..cxgate::probe::ProbeOptions::new(root)
        }
    }
}

// The flags of `cxgate verify`.
#[derive(Debug, clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Tag expression, e.g. "@auth and not @mock".
    #[arg(long)]
    tags: Option<String>,
    /// Only scenarios whose name matches this regex.
    #[arg(long)]
    name: Option<String>,
    /// Scenarios run at once (@serial ones always run alone); default 16 on the mock,
    /// 4 on any other target.
    #[arg(long)]
    concurrency: Option<usize>,
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
    /// Stop at the first failed scenario (scenarios already running finish).
    #[arg(long)]
    fail_fast: bool,
    /// Print what would run, with tags, and what would be skipped and why; sends no
    /// request.
    #[arg(long)]
    list: bool,
    /// How the summary (or the --list) is printed on stdout.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

impl VerifyArgs {
    fn options(self, root: PathBuf) -> VerifyOptions {
        VerifyOptions {
            target: self.run.target,
            tags: self.tags,
            name: self.name,
            concurrency: self.concurrency,
            timeout: self.run.timeout,
            fail_fast: self.fail_fast,
            report_dir: self.run.report_dir,
            allow_destructive: self.run.allow_destructive,
            allow_writes: self.run.allow_writes,
            strict: self.run.strict,
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
    /// Access-token lifetime, e.g. 60s or 1h (a bare number is seconds), overriding the
    /// seed's.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true,
          value_parser = cxgate::duration::parse_whole_seconds)]
    token_lifetime: Option<Duration>,
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
    /// How the table is printed on stdout.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
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
    let output = Output {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    let redactor = cxgate::report::Redactor::new();
    cxgate::client::install_trace_redactor(redactor.clone());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CXGATE_LOG")
                .unwrap_or_else(|_| output.log_filter().into()),
        )
        .with_ansi(colour_on_stderr())
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            let e = format!("cannot start the async runtime: {e}");
            return exit_code("cxgate", Err(e.into()));
        }
    };
    let source = match cli.contract_dir {
        Some(dir) => ContractSource::Dir(dir),
        None => ContractSource::Embedded,
    };
    let (command, outcome) = runtime.block_on(async {
        match cli.command {
            Command::Verify(args) => {
                let root = match source.root() {
                    Ok(root) => root,
                    Err(e) => return ("cxgate verify", Err(e.into())),
                };
                let format = args.format;
                let list = args.list;
                let options = VerifyOptions {
                    progress: !output.quiet && output.verbose == 0,
                    redactor,
                    ..args.options(root)
                };
                let outcome = if list {
                    list_scenarios(&options, format)
                } else {
                    verify(options, format, output).await
                };
                ("cxgate verify", outcome)
            }
            Command::Probe(args) => {
                let root = match source.root() {
                    Ok(root) => root,
                    Err(e) => return ("cxgate probe", Err(e.into())),
                };
                let format = args.format;
                let list = args.list;
                let options = cxgate::probe::ProbeOptions {
                    redactor,
                    ..args.options(root)
                };
                let outcome = if list {
                    list_probes(&options, format)
                } else {
                    probe(options, format, output).await
                };
                ("cxgate probe", outcome)
            }
            Command::Mock(args) => ("cxgate mock", mock(args).await),
            Command::Load(args) => match *args {
                LoadArgs {
                    command: Some(LoadCommand::Merge(options)),
                    ..
                } => ("cxgate load merge", merge(&options, output)),
                LoadArgs { run: None, .. } => (
                    "cxgate load",
                    Err(
                        "give a path (auth, statistics, messaging, export or all), or merge".into(),
                    ),
                ),
                LoadArgs {
                    run: Some(options), ..
                } => {
                    let root = match source.root() {
                        Ok(root) => root,
                        Err(e) => return ("cxgate load", Err(e.into())),
                    };
                    let options = LoadOptions { root, ..options };
                    ("cxgate load", load(options, output).await)
                }
            },
            Command::Coverage(args) => match source.root() {
                Ok(root) => ("cxgate coverage", coverage(&root, args)),
                Err(e) => ("cxgate coverage", Err(e.into())),
            },
            Command::Completions { shell } => {
                clap_complete::generate(
                    shell,
                    &mut Cli::command(),
                    "cxgate",
                    &mut std::io::stdout(),
                );
                ("cxgate completions", Ok(true))
            }
        }
    });
    exit_code(command, outcome)
}

/// What the global output flags ask for.
#[derive(Debug, Clone, Copy)]
struct Output {
    quiet: bool,
    verbose: u8,
}

impl Output {
    /// The log filter when `CXGATE_LOG` does not set one: warnings (goose warns once per
    /// failed request, and the summary counts them instead), plus the request trace.
    fn log_filter(self) -> &'static str {
        match (self.quiet, self.verbose) {
            (true, _) => "error",
            (false, 0) => "warn,goose=error",
            (false, 1) => "warn,goose=error,cxgate::http=info",
            (false, _) => "warn,goose=error,cxgate::http=debug",
        }
    }

    fn report_paths(self, paths: &[PathBuf]) {
        if !self.quiet {
            for path in paths {
                eprintln!("report: {}", path.display());
            }
        }
    }
}

/// Colour on stderr only for a terminal, and never when `NO_COLOR` is set (to anything
/// but the empty string).
fn colour_on_stderr() -> bool {
    use std::io::IsTerminal as _;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stderr().is_terminal()
}

async fn verify(options: VerifyOptions, format: Format, output: Output) -> Outcome {
    let outcome = verify::run(&options).await?;
    match (format, output.quiet) {
        (Format::Json, _) => print!(
            "{}",
            cxgate::report::render_summary_json(
                &outcome.result,
                &outcome.redactor,
                &outcome.reports
            )
        ),
        (Format::Text, true) => print!(
            "{}",
            cxgate::report::render_summary_brief(&outcome.result, &outcome.redactor)
        ),
        (Format::Text, false) => print!("{}", outcome.summary),
    }
    output.report_paths(&outcome.reports);
    Ok(outcome.result.passed())
}

fn list_scenarios(options: &VerifyOptions, format: Format) -> Outcome {
    let plan = verify::list(options)?;
    match format {
        Format::Text => print!("{}", plan.render_text()),
        Format::Json => print!("{}", plan.render_json()),
    }
    Ok(true)
}

async fn probe(options: cxgate::probe::ProbeOptions, format: Format, output: Output) -> Outcome {
    let outcome = cxgate::probe::run(&options).await?;
    let redactor = &outcome.redactor;
    match (format, output.quiet) {
        (Format::Json, _) => print!(
            "{}",
            cxgate::probe::report::render_json(&outcome.result, redactor, &outcome.reports)
        ),
        (Format::Text, true) => print!(
            "{}",
            cxgate::probe::report::render_brief(&outcome.result, redactor)
        ),
        (Format::Text, false) => print!("{}", outcome.summary),
    }
    output.report_paths(&outcome.reports);
    Ok(outcome.result.passed())
}

fn list_probes(options: &cxgate::probe::ProbeOptions, format: Format) -> Outcome {
    let plan = cxgate::probe::list(options)?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&plan)?),
        Format::Text => {
            println!("seed {}", plan.seed);
            for case in &plan.cases {
                let rules: Vec<String> = case
                    .rules
                    .iter()
                    .map(|(rule, scope)| match scope {
                        cxgate::probe::plan::Scope::Portable => rule.name().to_owned(),
                        cxgate::probe::plan::Scope::Strict => format!("{} (strict)", rule.name()),
                    })
                    .collect();
                println!(
                    "{:>5} {} [{}] {}: {} {} -> {}",
                    case.index,
                    case.endpoint,
                    case.family.name(),
                    case.check,
                    case.request.method,
                    case.request.path,
                    rules.join(", ")
                );
            }
            println!("{} cases", plan.cases.len());
        }
    }
    Ok(true)
}

async fn load(options: LoadOptions, output: Output) -> Outcome {
    let outcome = cxgate::load::run(&options).await?;
    print!("{}", outcome.summary.markdown());
    output.report_paths(&outcome.reports);
    Ok(outcome.passed())
}

fn merge(options: &MergeOptions, output: Output) -> Outcome {
    let outcome = cxgate::load::merge(options)?;
    print!("{}", outcome.summary.markdown());
    output.report_paths(&outcome.reports);
    Ok(outcome.passed())
}

async fn mock(args: MockArgs) -> Outcome {
    let mut config = match args.config {
        Some(path) => MockConfig::from_file(&path)?,
        None => MockConfig::default_seed(),
    };
    if let Some(lifetime) = args.token_lifetime {
        config.auth.token_lifetime_secs = lifetime.as_secs();
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
    match args.format {
        Format::Text => print!("{table}"),
        Format::Json => print!("{}", cxgate::report::coverage_json(&rows)),
    }
    let covered = rows.iter().filter(|r| r.covered()).count();
    match args.fail_under {
        Some(n) if covered < n => {
            eprintln!("cxgate coverage: {covered} endpoints covered, fewer than --fail-under {n}");
            Ok(false)
        }
        _ => Ok(true),
    }
}
