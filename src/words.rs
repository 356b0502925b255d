//! Counts written as people write them: "1 issue", "2 issues".

/// `n` and the noun, singular for exactly one: `count(1, "item")` is
/// "1 item", `count(3, "item")` "3 items".
pub fn count(n: usize, noun: &str) -> String {
    count_as(n, noun, &plural(noun))
}

/// The noun alone as [`count`] would write it after `n`: `noun_for(1,
/// "issue")` is "issue", `noun_for(2, "issue")` "issues". For figures
/// that print the number apart from its noun.
pub fn noun_for(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        plural(noun)
    }
}

/// [`count`] for a noun whose plural is not the singular plus "s".
pub fn count_as(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// The English plural of the nouns counted in messages: "entity" →
/// "entities", "match" → "matches", else an "s".
fn plural(noun: &str) -> String {
    let ends_consonant_y = noun.ends_with('y')
        && !noun
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| "aeiou".contains(c));
    if ends_consonant_y {
        format!("{}ies", &noun[..noun.len() - 1])
    } else if ["s", "x", "ch", "sh"].iter().any(|end| noun.ends_with(end)) {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "issue"), "1 issue");
        assert_eq!(count(0, "issue"), "0 issues");
        assert_eq!(count(2, "co-mention"), "2 co-mentions");
        assert_eq!(count(1, "entity"), "1 entity");
        assert_eq!(count(5, "entity"), "5 entities");
        assert_eq!(count(2, "day"), "2 days");
        assert_eq!(count(2, "match"), "2 matches");
        assert_eq!(count_as(2, "is", "are"), "2 are");
        assert_eq!(count(1, "item mention"), "1 item mention");
        assert_eq!(noun_for(1, "period"), "period");
        assert_eq!(noun_for(0, "period"), "periods");
    }
}
