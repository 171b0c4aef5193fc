//! The CI gate: the policy applied to the pairs in scope.

use crate::error::Diagnostic;
use crate::pairs::{Item, Pairing};
pub use crate::policy::{Policy, Severity};
use crate::state::State;
use rustc_hash::FxHashSet;
use serde::Serialize;

/// One listed pair.
#[derive(Debug, Clone, Serialize)]
pub struct Finding<'a> {
    #[serde(flatten)]
    pub item: &'a Item<'a>,
    pub severity: Severity,
}

/// What `check` found.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub findings: Vec<Finding<'a>>,
    /// Problems that concern no pair (a skipped folder, a duplicate original).
    pub other_errors: Vec<&'a Diagnostic>,
    /// What looks wrong but breaks nothing: listed, never a failure.
    pub notes: Vec<&'a Diagnostic>,
    pub failed: bool,
}

impl Outcome<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Applies the policy to the pairs in scope.
pub fn check<'a>(pairing: &'a Pairing, items: &[&'a Item], policy: &Policy) -> Outcome<'a> {
    let findings: Vec<Finding> = items
        .iter()
        .filter_map(|item| {
            policy
                .judge(item.state, item.lang)
                .map(|severity| Finding { item, severity })
        })
        .collect();
    // A diagnostic about a file already listed as a pair is not listed twice (the pairs are
    // looked through only when there are diagnostics: they can be a hundred thousand).
    let paths: FxHashSet<&str> = pairing.errors.iter().map(|d| d.path.as_str()).collect();
    let listed: FxHashSet<&str> = match paths.is_empty() {
        true => FxHashSet::default(),
        false => pairing
            .items
            .iter()
            .filter_map(|i| i.translation.as_deref())
            .filter(|t| paths.contains(t))
            .collect(),
    };
    let covered = |d: &Diagnostic| listed.contains(d.path.as_str());
    let other_errors: Vec<&Diagnostic> = pairing.errors.iter().filter(|d| !covered(d)).collect();
    let failed = findings.iter().any(|f| f.severity == Severity::Error)
        || (policy.fail_on.contains(&State::Invalid) && !other_errors.is_empty());
    Outcome {
        findings,
        other_errors,
        notes: pairing.warnings.iter().collect(),
        failed,
    }
}
