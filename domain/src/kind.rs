//! The five rating kinds and their fixed scales.
//!
//! A scale never changes in place: a change gets a new [`SCALE_VERSION`], and every stored
//! response records the version it was given under, so old data keeps its meaning.

use crate::error::{Code, Fault};

/// Version of the scale definitions below; stored with each response.
pub const SCALE_VERSION: u32 = 1;

/// Declares [`Kind`] with its wire names, [`Kind::ALL`] and [`Kind::index`] together, so a new
/// kind is in every list at once and the compiler points at each `match` it must join.
macro_rules! kinds {
    ($($name:ident = $wire:literal,)*) => {
        /// A rating kind. Its scale is fixed: see [`Kind::scale`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $($name,)*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: [Kind; Kind::COUNT] = [$(Kind::$name,)*];
            /// How many kinds there are: the length of per-kind arrays.
            pub const COUNT: usize = [$($wire,)*].len();

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$name => $wire,)*
                }
            }

            /// Position in [`Kind::ALL`]; for per-kind arrays.
            pub const fn index(self) -> usize {
                self as usize
            }
        }
    };
}

kinds! {
    Csat = "csat",
    Nps = "nps",
    Ces = "ces",
    Stars = "stars",
    Thumbs = "thumbs",
}

/// Slots a per-score count needs: one per score of the widest scale (0–10 for NPS).
pub const MAX_POINTS: usize = {
    let (mut widest, mut i) = (0, 0);
    while i < Kind::COUNT {
        let end = Kind::ALL[i].scale().max as usize + 1;
        if end > widest {
            widest = end;
        }
        i += 1;
    }
    widest
};

/// CSAT's satisfied answers score at least this (4 and 5 of 1–5).
pub const CSAT_SATISFIED_MIN: u8 = 4;

/// NPS promoters score at least this (passives lie between the negative band and it).
pub const NPS_PROMOTER_MIN: u8 = 9;

/// The bounds of a kind's scale and where "negative" ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub min: u8,
    pub max: u8,
    /// A score at or below this is negative (drives alerts and the follow-up question).
    pub negative_max: u8,
}

impl Scale {
    pub fn contains(self, score: i64) -> bool {
        (self.min as i64..=self.max as i64).contains(&score)
    }
    /// Every point of the scale, lowest first.
    pub fn points(self) -> impl DoubleEndedIterator<Item = u8> {
        self.min..=self.max
    }
    pub fn len(self) -> usize {
        (self.max - self.min) as usize + 1
    }
    pub fn is_empty(self) -> bool {
        false
    }
}

impl Kind {
    pub const fn scale(self) -> Scale {
        match self {
            Kind::Csat => Scale {
                min: 1,
                max: 5,
                negative_max: 2,
            },
            Kind::Nps => Scale {
                min: 0,
                max: 10,
                negative_max: 6,
            },
            Kind::Ces => Scale {
                min: 1,
                max: 7,
                negative_max: 3,
            },
            Kind::Stars => Scale {
                min: 1,
                max: 5,
                negative_max: 2,
            },
            Kind::Thumbs => Scale {
                min: 0,
                max: 1,
                negative_max: 0,
            },
        }
    }

    /// The score rule in words, for error messages (a literal: no formatting in the widget).
    pub const fn score_rule(self) -> &'static str {
        match self {
            Kind::Csat => "a csat score must be between 1 and 5",
            Kind::Nps => "a nps score must be between 0 and 10",
            Kind::Ces => "a ces score must be between 1 and 7",
            Kind::Stars => "a stars score must be between 1 and 5",
            Kind::Thumbs => "a thumbs score must be between 0 and 1",
        }
    }

    pub fn is_negative(self, score: u8) -> bool {
        score <= self.scale().negative_max
    }

    pub fn parse(s: &str) -> Result<Kind, Fault> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                Fault::at(
                    Code::InvalidKind,
                    "kind",
                    "kind must be one of csat, nps, ces, stars, thumbs",
                )
            })
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_rules_say_the_scale() {
        for kind in Kind::ALL {
            let s = kind.scale();
            assert_eq!(
                kind.score_rule(),
                format!("a {kind} score must be between {} and {}", s.min, s.max)
            );
        }
    }

    #[test]
    fn negative_thresholds_match_the_spec() {
        let check = |kind: Kind, negatives: &[u8]| {
            let got: Vec<u8> = kind
                .scale()
                .points()
                .filter(|&s| kind.is_negative(s))
                .collect();
            assert_eq!(got, negatives, "{kind}");
        };
        check(Kind::Csat, &[1, 2]);
        check(Kind::Nps, &[0, 1, 2, 3, 4, 5, 6]);
        check(Kind::Ces, &[1, 2, 3]);
        check(Kind::Stars, &[1, 2]);
        check(Kind::Thumbs, &[0]);
    }

    #[test]
    fn names_round_trip_and_unknown_is_rejected() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Ok(k));
            assert_eq!(Kind::ALL[k.index()], k);
        }
        assert_eq!(Kind::parse("CSAT").unwrap_err().code, Code::InvalidKind);
    }
}
