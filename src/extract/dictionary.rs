//! The entity dictionary: built-in `data/entities.toml`, the user's
//! `--dict` files and the CNCF landscape.

use crate::model::Entity;

#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// Sorted by id, ids unique.
    pub entities: Vec<Entity>,
}

impl Dictionary {
    /// The built-in dictionary compiled into the binary.
    pub fn builtin() -> anyhow::Result<Dictionary> {
        Ok(Dictionary::default())
    }

    pub fn empty() -> Dictionary {
        Dictionary::default()
    }

    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.entities
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.entities[i])
    }
}

impl Dictionary {
    /// The dictionary in force: built-in (unless switched off), then the
    /// landscape, then the user's files, each overriding what came before.
    pub fn load(
        builtin: bool,
        user_files: &[std::path::PathBuf],
        landscape: Option<&std::path::Path>,
    ) -> anyhow::Result<Dictionary> {
        let _ = (user_files, landscape);
        if builtin {
            Dictionary::builtin()
        } else {
            Ok(Dictionary::empty())
        }
    }
}

/// `weeklygraph dict`: the dictionary in force, or every alias.
pub fn dict_command(
    dictionary: &Dictionary,
    aliases: bool,
) -> anyhow::Result<std::process::ExitCode> {
    let _ = (dictionary, aliases);
    Ok(std::process::ExitCode::SUCCESS)
}
