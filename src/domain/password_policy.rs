//! The customer's password rules (at least 15 characters, 2 digits, upper and lower case) plus
//! ASVS 5.0 6.2: any Unicode, counted in code points, never truncated, long passphrases welcome,
//! and nothing a strength estimator finds easy to guess given who the user is.

use zxcvbn::{Score, zxcvbn};

pub const MIN_CHARS: usize = 15;
/// Generous (ASVS asks for at least 64, we allow 256); bounds the work a single hash costs.
pub const MAX_CHARS: usize = 256;
pub const MIN_DIGITS: usize = 2;
/// zxcvbn's top score: more than 10^10 guesses. Score 3 let "MapleDental12345" through for a
/// Maple Dental user; fifteen characters leave room for a strong choice.
const MIN_SCORE: Score = Score::Four;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordRule {
    TooShort,
    TooLong,
    NeedsDigits,
    NeedsMixedCase,
    TooGuessable,
}

impl PasswordRule {
    /// Every rule, in the order they are shown and checked.
    pub const ALL: [Self; 5] =
        [Self::TooShort, Self::TooLong, Self::NeedsDigits, Self::NeedsMixedCase, Self::TooGuessable];
}

/// Who the password is for: their email and name make a password weaker when it contains them.
pub struct PasswordContext<'a> {
    pub email: &'a str,
    pub name: &'a str,
}

/// Every rule the password breaks, in a stable order; empty when it is acceptable.
pub fn violations(password: &str, context: &PasswordContext<'_>) -> Vec<PasswordRule> {
    let chars = password.chars().count();
    let mut broken = Vec::new();
    if chars < MIN_CHARS {
        broken.push(PasswordRule::TooShort);
    }
    if chars > MAX_CHARS {
        // Nothing else is worth estimating on an input this long.
        broken.push(PasswordRule::TooLong);
        return broken;
    }
    if password.chars().filter(|c| c.is_numeric()).count() < MIN_DIGITS {
        broken.push(PasswordRule::NeedsDigits);
    }
    if !(password.chars().any(char::is_uppercase) && password.chars().any(char::is_lowercase)) {
        broken.push(PasswordRule::NeedsMixedCase);
    }
    if broken.is_empty() && is_guessable(password, context) {
        broken.push(PasswordRule::TooGuessable);
    }
    broken
}

fn is_guessable(password: &str, context: &PasswordContext<'_>) -> bool {
    // The whole email and name, and every word in them ("maple", "dental", "dana"…).
    let words = context
        .email
        .split(|c: char| !c.is_alphanumeric())
        .chain(context.name.split(|c: char| !c.is_alphanumeric()));
    let mut inputs: Vec<&str> = vec![context.email, context.name, "billing", "portal"];
    inputs.extend(words.filter(|word| word.chars().count() >= 3));
    zxcvbn(password, &inputs).score() < MIN_SCORE
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTEXT: PasswordContext<'static> =
        PasswordContext { email: "dana.wu@maple-dental.example", name: "Dana Wu" };

    #[test]
    fn accepts_a_strong_passphrase() {
        assert!(violations("Juniper42Canoe17Velvet", &CONTEXT).is_empty());
    }

    #[test]
    fn names_each_broken_rule() {
        assert_eq!(
            violations("short1", &CONTEXT),
            vec![PasswordRule::TooShort, PasswordRule::NeedsDigits, PasswordRule::NeedsMixedCase]
        );
        assert_eq!(violations("nodigitsatallHereOk", &CONTEXT), vec![PasswordRule::NeedsDigits]);
        assert_eq!(violations(&"Ab12".repeat(65), &CONTEXT), vec![PasswordRule::TooLong]);
    }

    #[test]
    fn counts_code_points_not_bytes() {
        // 14 code points but 28+ bytes: still too short.
        let p = "Éé12ÉéÉéÉéÉéÉé";
        assert_eq!(p.chars().count(), 14);
        assert!(violations(p, &CONTEXT).contains(&PasswordRule::TooShort));
    }

    #[test]
    fn refuses_guessable_passwords_that_meet_the_letter_of_the_rules() {
        assert_eq!(violations("Password1234567", &CONTEXT), vec![PasswordRule::TooGuessable]);
        assert_eq!(
            violations("MapleDental12345", &CONTEXT),
            vec![PasswordRule::TooGuessable],
            "the user's own organisation makes a password guessable"
        );
    }
}
