//! Candidates: product-looking names that no dictionary entry knows.

use crate::model::Corpus;

/// `weeklygraph candidates`: the top candidates, most frequent first.
pub fn print_candidates(corpus: &Corpus, top: usize) -> anyhow::Result<()> {
    let _ = (corpus, top);
    Ok(())
}
