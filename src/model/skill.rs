//! Skills with proficiency, languages, and what a contact requires.

use crate::model::{ModelError, SkillId};
use crate::small_list::{Blank, SmallList};
use core::fmt;
use serde::{Deserialize, Serialize};

/// A contact's skill requirements: nearly always one to four, held inline.
type SkillList = SmallList<SkillRequirement, 4>;

/// How well an agent masters a skill, from 1 (novice) to 10 (expert).
///
/// ```
/// use callroute::Proficiency;
/// assert_eq!(Proficiency::new(7)?.get(), 7);
/// assert!(Proficiency::new(0).is_err() && Proficiency::new(11).is_err());
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Proficiency(u8);

impl Proficiency {
    /// The lowest level, 1.
    pub const MIN: Proficiency = Proficiency(1);
    /// The highest level, 10.
    pub const MAX: Proficiency = Proficiency(10);

    /// A validated level.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidProficiency`] unless `1 <= level <= 10`.
    pub const fn new(level: u8) -> Result<Self, ModelError> {
        if level >= 1 && level <= 10 {
            Ok(Proficiency(level))
        } else {
            Err(ModelError::InvalidProficiency(level))
        }
    }

    /// The level in `1..=10`.
    #[must_use]
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Proficiency {
    type Error = ModelError;
    fn try_from(level: u8) -> Result<Self, ModelError> {
        Proficiency::new(level)
    }
}

impl From<Proficiency> for u8 {
    fn from(p: Proficiency) -> u8 {
        p.0
    }
}

/// A language, as a two- or three-letter lowercase ISO 639 code.
///
/// ```
/// use callroute::Language;
/// let en = Language::new("en")?;
/// assert_eq!(en.as_str(), "en");
/// assert!(Language::new("English").is_err());
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language([u8; 3]);

impl Language {
    /// A validated code.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidLanguage`] unless `code` is 2 or 3 lowercase ASCII letters.
    pub fn new(code: &str) -> Result<Self, ModelError> {
        let bytes = code.as_bytes();
        if !(2..=3).contains(&bytes.len()) || !bytes.iter().all(u8::is_ascii_lowercase) {
            return Err(ModelError::InvalidLanguage(code.to_owned()));
        }
        let mut raw = [0u8; 3];
        for (slot, b) in raw.iter_mut().zip(bytes) {
            *slot = *b;
        }
        Ok(Language(raw))
    }

    /// The code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        let len = if self.0[2] == 0 { 2 } else { 3 };
        // Only ASCII letters are ever stored, so this cannot fail.
        core::str::from_utf8(self.0.get(..len).unwrap_or_default()).unwrap_or_default()
    }
}

impl TryFrom<String> for Language {
    type Error = ModelError;
    fn try_from(code: String) -> Result<Self, ModelError> {
        Language::new(&code)
    }
}

impl From<Language> for String {
    fn from(l: Language) -> String {
        l.as_str().to_owned()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One required skill and the lowest proficiency that satisfies it.
///
/// ```
/// use callroute::{Proficiency, SkillId, SkillRequirement};
/// let r = SkillRequirement::new(SkillId::new(1), Proficiency::new(5)?);
/// assert_eq!(r.min, Proficiency::new(5)?);
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillRequirement {
    /// The skill.
    pub skill: SkillId,
    /// The lowest proficiency accepted.
    pub min: Proficiency,
}

impl SkillRequirement {
    /// A requirement of `skill` at level `min` or above.
    #[must_use]
    pub const fn new(skill: SkillId, min: Proficiency) -> Self {
        SkillRequirement { skill, min }
    }
}

impl Blank for SkillRequirement {
    const BLANK: Self = SkillRequirement::new(SkillId::new(0), Proficiency::MIN);
}

/// What an agent must have to serve a contact: skills at a minimum
/// proficiency and, optionally, a language.
///
/// Skills are kept sorted by id with no duplicates (a repeated skill keeps
/// its highest minimum), so two equal sets of requirements compare equal.
///
/// ```
/// use callroute::{Language, Proficiency, Requirements, SkillId};
/// let req = Requirements::new()
///     .skill(SkillId::new(4), Proficiency::new(3)?)
///     .skill(SkillId::new(1), Proficiency::MIN)
///     .skill(SkillId::new(4), Proficiency::new(6)?)
///     .language(Language::new("fr")?);
/// assert_eq!(req.skills().len(), 2);
/// assert_eq!(req.skills()[1].min, Proficiency::new(6)?);
/// # Ok::<(), callroute::Error>(())
/// ```
///
/// Deserializing sorts the skills and merges repeats at the higher
/// minimum, as the builder does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(from = "RequirementFields")]
pub struct Requirements {
    /// Sorted by skill; up to four held inline, so that a contact needs no
    /// allocation of its own.
    skills: SkillList,
    language: Option<Language>,
}

/// Requirements as written, before sorting.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementFields {
    #[serde(default)]
    skills: Vec<SkillRequirement>,
    #[serde(default)]
    language: Option<Language>,
}

impl From<RequirementFields> for Requirements {
    fn from(f: RequirementFields) -> Self {
        let mut r = Requirements {
            skills: SkillList::default(),
            language: f.language,
        };
        for s in f.skills {
            r.add(s);
        }
        r
    }
}

impl Requirements {
    /// No requirement: any agent of the queue qualifies.
    #[must_use]
    pub fn new() -> Self {
        Requirements::default()
    }

    /// Adds a skill requirement (builder style).
    #[must_use]
    pub fn skill(mut self, skill: SkillId, min: Proficiency) -> Self {
        self.add(SkillRequirement::new(skill, min));
        self
    }

    /// Requires a language (builder style); replaces any earlier one.
    #[must_use]
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Adds a skill requirement in place, keeping the list sorted and
    /// free of duplicates.
    pub fn add(&mut self, req: SkillRequirement) {
        match self.skills.binary_search_by_key(&req.skill, |r| r.skill) {
            Ok(i) => {
                if let Some(r) = self.skills.get_mut(i) {
                    r.min = r.min.max(req.min);
                }
            }
            Err(i) => self.skills = self.skills.inserted(i, req),
        }
    }

    /// The union of `self` and `other`: every skill of both at the higher
    /// minimum; `other`'s language wins if both name one.
    #[must_use]
    pub fn merged(&self, other: &Requirements) -> Requirements {
        let mut out = self.clone();
        for r in other.skills.iter() {
            out.add(*r);
        }
        if other.language.is_some() {
            out.language = other.language;
        }
        out
    }

    /// Every minimum lowered by `levels` (to no less than
    /// [`Proficiency::MIN`]).
    ///
    /// ```
    /// use callroute::{Proficiency, Requirements, SkillId};
    /// let r = Requirements::new().skill(SkillId::new(1), Proficiency::new(6)?);
    /// assert_eq!(r.relaxed(2).skills()[0].min, Proficiency::new(4)?);
    /// assert_eq!(r.relaxed(9).skills()[0].min, Proficiency::MIN);
    /// # Ok::<(), callroute::Error>(())
    /// ```
    #[must_use]
    pub fn relaxed(&self, levels: u8) -> Requirements {
        let mut out = self.clone();
        for r in out.skills.iter_mut() {
            let lowered = r
                .min
                .get()
                .saturating_sub(levels)
                .max(Proficiency::MIN.get());
            r.min = Proficiency::new(lowered).unwrap_or(Proficiency::MIN);
        }
        out
    }

    /// The requirements without `skill`.
    ///
    /// ```
    /// use callroute::{Proficiency, Requirements, SkillId};
    /// let r = Requirements::new().skill(SkillId::new(1), Proficiency::MIN);
    /// assert!(r.without(SkillId::new(1)).is_empty());
    /// ```
    #[must_use]
    pub fn without(&self, skill: SkillId) -> Requirements {
        Requirements {
            skills: SkillList::from(
                self.skills
                    .iter()
                    .copied()
                    .filter(|r| r.skill != skill)
                    .collect::<Vec<_>>()
                    .as_slice(),
            ),
            language: self.language,
        }
    }

    /// The same requirements without the language.
    #[must_use]
    pub fn without_language(&self) -> Requirements {
        Requirements {
            skills: self.skills.clone(),
            language: None,
        }
    }

    /// Whether nothing is required.
    ///
    /// ```
    /// use callroute::Requirements;
    /// assert!(Requirements::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.skills.is_empty() && self.language.is_none()
    }

    /// The skill requirements, sorted by skill id.
    #[must_use]
    pub fn skills(&self) -> &[SkillRequirement] {
        &self.skills
    }

    /// The required language, if any.
    #[must_use]
    pub fn required_language(&self) -> Option<Language> {
        self.language
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_round_trips_and_validates() {
        for code in ["en", "deu"] {
            assert_eq!(
                Language::new(code).map(|l| l.to_string()),
                Ok(code.to_owned())
            );
        }
        for bad in ["", "e", "EN", "engl", "e1"] {
            assert!(Language::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deserialized_requirements_are_sorted_and_merged() -> Result<(), serde_json::Error> {
        let json = r#"{"skills":[{"skill":5,"min":2},{"skill":1,"min":3},{"skill":5,"min":4}]}"#;
        let r: Requirements = serde_json::from_str(json)?;
        let got: Vec<(u16, u8)> = r
            .skills()
            .iter()
            .map(|s| (s.skill.get(), s.min.get()))
            .collect();
        assert_eq!(got, [(1, 3), (5, 4)]);
        assert_eq!(r.required_language(), None);
        Ok(())
    }

    #[test]
    fn requirements_merge_keeps_highest_minimum() -> Result<(), ModelError> {
        let a = Requirements::new().skill(SkillId::new(2), Proficiency::new(3)?);
        let b = Requirements::new()
            .skill(SkillId::new(2), Proficiency::new(5)?)
            .skill(SkillId::new(1), Proficiency::MIN);
        let m = a.merged(&b);
        let ids: Vec<u16> = m.skills().iter().map(|r| r.skill.get()).collect();
        assert_eq!(ids, [1, 2]);
        assert_eq!(m.skills()[1].min.get(), 5);
        Ok(())
    }
}
