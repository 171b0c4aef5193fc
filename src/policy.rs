//! The CI policy: which states fail `check` and which are warnings.

use crate::state::State;
use serde::Serialize;

/// How serious a listed pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// Its name, as JSON and GitHub annotations give it.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Which states fail the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub fail_on: Vec<State>,
    /// With the default policy, `missing` fails only in the required languages.
    pub missing_only_required: bool,
    pub required: Vec<String>,
}

/// The states that fail by default.
pub const DEFAULT_FAIL_ON: [State; 4] = [
    State::Outdated,
    State::Orphaned,
    State::Invalid,
    State::Missing,
];

impl Policy {
    pub fn default_for(required: &[String]) -> Policy {
        Policy {
            fail_on: DEFAULT_FAIL_ON.to_vec(),
            missing_only_required: true,
            required: required.to_vec(),
        }
    }

    /// A policy from a list such as `outdated,invalid`. The word `default` stands for the
    /// default policy, so `default,draft` adds drafts to it; `missing` named on its own fails
    /// in every language, not only the required ones.
    pub fn from_list(list: &[String], required: &[String]) -> Result<Policy, String> {
        let words: Vec<&str> = list
            .iter()
            .flat_map(|w| w.split(','))
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        let mut fail_on = Vec::new();
        for word in &words {
            let states: Vec<State> = if *word == "default" {
                DEFAULT_FAIL_ON.to_vec()
            } else {
                let state: State = word.parse()?;
                if state == State::UpToDate {
                    return Err("`up-to-date` is not a problem to fail on".to_string());
                }
                vec![state]
            };
            for s in states {
                if !fail_on.contains(&s) {
                    fail_on.push(s);
                }
            }
        }
        if fail_on.is_empty() {
            return Err("name at least one state to fail on, or `default`".to_string());
        }
        Ok(Policy {
            fail_on,
            missing_only_required: words.contains(&"default") && !words.contains(&"missing"),
            required: required.to_vec(),
        })
    }

    /// Whether an item is listed, and how.
    pub fn judge(&self, state: State, lang: &str) -> Option<Severity> {
        match state {
            State::UpToDate => None,
            State::Missing if self.fail_on.contains(&State::Missing) => {
                if !self.missing_only_required || self.required.iter().any(|r| r == lang) {
                    Some(Severity::Error)
                } else {
                    None
                }
            }
            // Not failing on it does not hide it: a required language's gap stays listed.
            State::Missing if self.required.iter().any(|r| r == lang) => Some(Severity::Warning),
            State::Missing => None,
            s if self.fail_on.contains(&s) => Some(Severity::Error),
            State::Untracked | State::Draft => Some(Severity::Warning),
            _ => Some(Severity::Warning),
        }
    }
}
