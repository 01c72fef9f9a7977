//! The load paths: each path module exports one [`LoadPath`] (its name, its scenarios,
//! and optional steps before and after the run), and [`PATHS`] lists them. The command
//! line's `cxgate load <PATH>` values come from that list, plus `all`.

use super::context::LoadContext;
use super::error::LoadError;
use super::{auth, export, messaging, statistics};
use crate::report::load::LoadSummary;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use futures::future::BoxFuture;
use goose::goose::Scenario;
use goose::GooseError;
use std::sync::Arc;

/// Readies a path's per-run state in the context before any user starts (a webhook
/// receiver, a channel of its own, counters), with [`LoadContext::insert`].
pub type Prepare = for<'a> fn(&'a mut LoadContext) -> BoxFuture<'a, Result<(), LoadError>>;

/// Adds a path's own numbers to the summary after the run.
pub type Account = for<'a> fn(&'a LoadContext, &'a mut LoadSummary) -> BoxFuture<'a, ()>;

/// One load path, as its module registers it.
#[derive(Debug)]
pub struct LoadPath {
    /// Its name on the command line and in the summary.
    pub name: &'static str,
    /// Its goose scenarios.
    pub scenarios: fn(&Arc<LoadContext>) -> Result<Vec<Scenario>, GooseError>,
    /// Run once before the users start.
    pub prepare: Option<Prepare>,
    /// Run once after the users stop, before the summary is written.
    pub account: Option<Account>,
    /// What the path creates or changes on the target, when it does: it then runs
    /// against a deployment only with `--allow-writes`.
    pub writes: Option<&'static str>,
}

impl LoadPath {
    /// A path whose own numbers are the counters `C`: they start at zero before the run
    /// and are added to the summary after it.
    pub const fn counting<C: Counters>(
        name: &'static str,
        scenarios: fn(&Arc<LoadContext>) -> Result<Vec<Scenario>, GooseError>,
    ) -> LoadPath {
        LoadPath {
            name,
            scenarios,
            prepare: Some(prepare_counters::<C>),
            account: Some(account_counters::<C>),
            writes: None,
        }
    }

    /// The same path, marked as creating or changing `what` on the target.
    pub const fn writing(self, what: &'static str) -> LoadPath {
        LoadPath {
            writes: Some(what),
            ..self
        }
    }
}

/// A path's counters, kept in the context ([`LoadContext::part`]) for the run.
pub trait Counters: Default + Send + Sync + 'static {
    /// Adds what was counted to the summary.
    fn account(&self, summary: &mut LoadSummary);
}

fn prepare_counters<C: Counters>(ctx: &mut LoadContext) -> BoxFuture<'_, Result<(), LoadError>> {
    ctx.insert(C::default());
    Box::pin(async { Ok(()) })
}

fn account_counters<'a, C: Counters>(
    ctx: &'a LoadContext,
    summary: &'a mut LoadSummary,
) -> BoxFuture<'a, ()> {
    if let Some(counters) = ctx.part::<C>() {
        counters.account(summary);
    }
    Box::pin(async {})
}

/// Every load path, in the order `all` registers them and `--help` lists them.
pub const PATHS: &[&LoadPath] = &[
    &auth::PATH,
    &statistics::PATH,
    &messaging::PATH,
    &export::PATH,
];

/// The name that selects every path.
const ALL: &str = "all";

/// What `cxgate load <PATH>` selected: one path, or all of them.
#[derive(Debug, Clone, Copy)]
pub enum Selection {
    /// One registered path.
    One(&'static LoadPath),
    /// Every path in [`PATHS`].
    All,
}

impl Selection {
    /// The path called `name`, or [`Selection::All`] for `all`.
    pub fn named(name: &str) -> Option<Selection> {
        if name == ALL {
            return Some(Selection::All);
        }
        PATHS
            .iter()
            .find(|p| p.name == name)
            .map(|p| Selection::One(p))
    }

    /// The name it was selected by.
    pub fn name(self) -> &'static str {
        match self {
            Selection::One(path) => path.name,
            Selection::All => ALL,
        }
    }

    /// The paths it covers, in registry order.
    pub fn paths(self) -> Vec<&'static LoadPath> {
        match self {
            Selection::One(path) => vec![path],
            Selection::All => PATHS.to_vec(),
        }
    }
}

fn names() -> impl Iterator<Item = &'static str> {
    PATHS.iter().map(|p| p.name).chain(std::iter::once(ALL))
}

/// Parses a [`Selection`] from the command line; its possible values are the registry's.
#[derive(Debug, Clone, Copy)]
pub struct SelectionParser;

impl TypedValueParser for SelectionParser {
    type Value = Selection;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Selection, clap::Error> {
        let name = PossibleValuesParser::new(names()).parse_ref(cmd, arg, value)?;
        Selection::named(&name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(names().map(PossibleValue::new)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_path_and_all_can_be_selected_by_name() {
        for path in PATHS {
            assert_eq!(
                Selection::named(path.name).map(Selection::name),
                Some(path.name)
            );
        }
        assert!(matches!(Selection::named("all"), Some(Selection::All)));
        assert_eq!(Selection::All.paths().len(), PATHS.len());
        assert!(Selection::named("nope").is_none());
    }

    #[test]
    fn the_command_line_lists_the_paths_in_registry_order() {
        let listed: Vec<&str> = names().collect();
        assert_eq!(listed, ["auth", "statistics", "messaging", "export", "all"]);
    }
}
