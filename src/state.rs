//! The state of an (article, language) pair.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    UpToDate,
    Outdated,
    Missing,
    Draft,
    Untracked,
    Orphaned,
    Invalid,
}

impl State {
    pub const ALL: [State; 7] = [
        State::UpToDate,
        State::Outdated,
        State::Missing,
        State::Draft,
        State::Untracked,
        State::Orphaned,
        State::Invalid,
    ];

    pub fn name(self) -> &'static str {
        match self {
            State::UpToDate => "up-to-date",
            State::Outdated => "outdated",
            State::Missing => "missing",
            State::Draft => "draft",
            State::Untracked => "untracked",
            State::Orphaned => "orphaned",
            State::Invalid => "invalid",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for State {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::ALL
            .into_iter()
            .find(|st| st.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = State::ALL.iter().map(|s| s.name()).collect();
                format!("unknown state `{s}`: use one of {}", names.join(", "))
            })
    }
}

/// How many pairs are in each state; serialises with every state present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    #[serde(rename = "up-to-date")]
    pub up_to_date: u32,
    pub outdated: u32,
    pub missing: u32,
    pub draft: u32,
    pub untracked: u32,
    pub orphaned: u32,
    pub invalid: u32,
}

impl Counts {
    pub fn add(&mut self, state: State) {
        *self.get_mut(state) += 1;
    }

    pub fn add_n(&mut self, state: State, n: u32) {
        *self.get_mut(state) += n;
    }

    pub fn get(&self, state: State) -> u32 {
        match state {
            State::UpToDate => self.up_to_date,
            State::Outdated => self.outdated,
            State::Missing => self.missing,
            State::Draft => self.draft,
            State::Untracked => self.untracked,
            State::Orphaned => self.orphaned,
            State::Invalid => self.invalid,
        }
    }

    fn get_mut(&mut self, state: State) -> &mut u32 {
        match state {
            State::UpToDate => &mut self.up_to_date,
            State::Outdated => &mut self.outdated,
            State::Missing => &mut self.missing,
            State::Draft => &mut self.draft,
            State::Untracked => &mut self.untracked,
            State::Orphaned => &mut self.orphaned,
            State::Invalid => &mut self.invalid,
        }
    }
}
