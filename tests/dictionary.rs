//! The entity dictionary: built-in entries, the CNCF landscape, the user's
//! `--dict` files and the `dict` subcommand.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use weeklygraph::extract::Dictionary;
use weeklygraph::model::{EntityKind, MatchRule};

#[test]
fn builtin_has_over_300_entities_with_valid_ids() {
    let dictionary = Dictionary::builtin().unwrap();
    assert!(
        dictionary.entities.len() >= 300,
        "{}",
        dictionary.entities.len()
    );
    let mut ids = BTreeSet::new();
    for entity in &dictionary.entities {
        assert!(ids.insert(entity.id.as_str()), "{} twice", entity.id);
        let (prefix, slug) = entity.id.split_once(':').unwrap();
        assert_eq!(
            EntityKind::parse(prefix),
            Some(entity.kind),
            "{}",
            entity.id
        );
        assert!(!slug.is_empty() && !slug.contains(' '), "{}", entity.id);
        assert!(!entity.name.is_empty(), "{}", entity.id);
    }
}

#[test]
fn builtin_knows_the_named_entities() {
    let dictionary = Dictionary::builtin().unwrap();
    for id in [
        "neco:moco",
        "neco:coil",
        "neco:accurate",
        "neco:topolvm",
        "neco:cattage",
        "neco:tenet",
        "neco:cke",
        "neco:sabakan",
        "neco:necotiator",
        "neco:nyamber",
        "neco:pod-security-admission",
        "neco:meows",
        "neco:placemat",
        "tool:kubernetes",
        "tool:argo-cd",
        "tool:mysql",
        "tool:kubebuilder",
        "tool:controller-runtime",
        "tool:client-go",
        "tool:go",
        "tool:kind",
        "tool:helm",
        "tool:flux",
        "tool:vault",
        "topic:multi-tenancy",
        "topic:network-policy",
        "topic:admin-network-policy",
        "topic:cel",
        "topic:server-side-apply",
        "topic:dynamic-resource-allocation",
        "topic:dockershim",
        "topic:gateway-api",
        "event:kubecon",
        "org:cncf",
        "org:sig-network",
    ] {
        assert!(dictionary.get(id).is_some(), "{id} is missing");
    }
    let argo = dictionary.get("tool:argo-cd").unwrap();
    assert_eq!(argo.name, "Argo CD");
    assert!(argo.aliases.iter().any(|a| a == "ArgoCD"));
    assert!(argo.aliases.iter().any(|a| a == "argo-cd"));
    let kubernetes = dictionary.get("tool:kubernetes").unwrap();
    assert!(kubernetes.aliases.iter().any(|a| a == "K8s"));
    assert_eq!(kubernetes.cncf, "graduated");
    let tenancy = dictionary.get("topic:multi-tenancy").unwrap();
    assert!(tenancy.aliases.iter().any(|a| a == "マルチテナンシー"));
    for common_word in [
        "tool:go",
        "tool:kind",
        "tool:flux",
        "tool:helm",
        "neco:coil",
    ] {
        assert_eq!(
            dictionary.get(common_word).unwrap().match_rule,
            MatchRule::Strict,
            "{common_word}"
        );
    }
}

#[test]
fn builtin_carries_every_cncf_graduated_project_we_list() {
    let dictionary = Dictionary::builtin().unwrap();
    let graduated = dictionary
        .entities
        .iter()
        .filter(|e| e.cncf == "graduated")
        .count();
    let incubating = dictionary
        .entities
        .iter()
        .filter(|e| e.cncf == "incubating")
        .count();
    // The landscape lists 38 and 38; Argo is four entries here (CD,
    // Workflows, Rollouts, Events) and SPIFFE/SPIRE two.
    assert!(graduated >= 38, "{graduated} graduated");
    assert!(incubating >= 38, "{incubating} incubating");
}

fn landscape() -> Option<PathBuf> {
    common::shared("landscape/landscape.yml")
}

#[test]
fn landscape_adds_over_2000_entities_and_spegel() {
    let Some(path) = landscape() else { return };
    let builtin = Dictionary::builtin().unwrap();
    assert_eq!(builtin.get("tool:kubewarden").unwrap().cncf, "");
    let dictionary = Dictionary::load(true, &[], Some(&path)).unwrap();
    assert!(
        dictionary.entities.len() > 2000,
        "{}",
        dictionary.entities.len()
    );
    // The landscape gives the sandbox maturity to built-in entries.
    assert_eq!(dictionary.get("tool:kubewarden").unwrap().cncf, "sandbox");
    assert_eq!(dictionary.get("tool:sops").unwrap().cncf, "sandbox");
    assert_eq!(dictionary.get("tool:zot").unwrap().cncf, "sandbox");

    // Without the built-in dictionary Spegel comes from the landscape alone.
    // This landscape.yml lists Spegel under Container Registry with no
    // `project:` key, so it is not marked as a CNCF project.
    let landscape_only = Dictionary::load(false, &[], Some(&path)).unwrap();
    assert!(landscape_only.entities.len() > 2000);
    let spegel = landscape_only.get("tool:spegel").unwrap();
    assert_eq!(spegel.kind, EntityKind::Tool);
    assert_eq!(spegel.name, "Spegel");
    assert_eq!(spegel.category, "Provisioning / Container Registry");
    assert_eq!(spegel.cncf, "");
    assert_eq!(
        spegel.urls,
        [
            "https://spegel.dev/",
            "https://github.com/spegel-org/spegel"
        ]
    );
    // With it, the built-in entry keeps its old repository too.
    let spegel = dictionary.get("tool:spegel").unwrap();
    assert!(
        spegel
            .urls
            .iter()
            .any(|u| u == "https://github.com/XenitAB/spegel")
    );
}

#[test]
fn landscape_merges_into_builtin_entries() {
    let Some(path) = landscape() else { return };
    let dictionary = Dictionary::load(true, &[], Some(&path)).unwrap();
    let ids: BTreeSet<&str> = dictionary.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), dictionary.entities.len());

    // The landscape's "Argo" (repository argoproj/argo-cd) is Argo CD.
    let argo = dictionary.get("tool:argo-cd").unwrap();
    assert_eq!(argo.cncf, "graduated");
    assert_eq!(argo.name, "Argo CD");
    assert!(!ids.contains("tool:argo"));
    let argo_cd_entities: Vec<&str> = dictionary
        .entities
        .iter()
        .filter(|e| {
            e.urls
                .iter()
                .any(|u| u.trim_end_matches('/') == "https://github.com/argoproj/argo-cd")
        })
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(argo_cd_entities, ["tool:argo-cd"]);

    // Merged by name or alias, keeping the built-in id.
    assert_eq!(
        dictionary.get("tool:open-policy-agent").unwrap().cncf,
        "graduated"
    );
    assert!(!ids.contains("tool:open-policy-agent-opa"));
    assert_eq!(dictionary.get("topic:cni").unwrap().cncf, "incubating");
    assert_eq!(
        dictionary.get("tool:calico").unwrap().category,
        "Runtime / Cloud Native Network"
    );
    assert!(!ids.contains("tool:project-calico"));
    // "Envoy (Wasm)" is Envoy again, not a second entity.
    assert!(!ids.contains("tool:envoy-wasm") && !ids.contains("tool:envoy-2"));
    assert_eq!(
        dictionary.get("tool:envoy").unwrap().category,
        "Orchestration & Management / Service Proxy"
    );
    // Built-in match rules survive the merge.
    assert_eq!(
        dictionary.get("tool:helm").unwrap().match_rule,
        MatchRule::Strict
    );
    assert_eq!(
        dictionary.get("tool:kind").unwrap().match_rule,
        MatchRule::Strict
    );
}

#[test]
fn landscape_names_that_are_words_match_strictly() {
    let Some(path) = landscape() else { return };
    let dictionary = Dictionary::load(false, &[], Some(&path)).unwrap();
    for (id, rule) in [
        ("tool:keep", MatchRule::Strict),
        ("tool:scale", MatchRule::Strict),
        ("tool:harbor", MatchRule::Strict),
        ("tool:c", MatchRule::Strict),
        ("tool:spegel", MatchRule::Exact),
        ("tool:kubeedge", MatchRule::Normal),
    ] {
        let entity = dictionary
            .get(id)
            .unwrap_or_else(|| panic!("{id} is missing"));
        assert_eq!(entity.match_rule, rule, "{id}");
    }
    // Members are companies: "Cybozu (member)" is the built-in org, and a
    // member the built-in dictionary lacks becomes an org too.
    let ids: BTreeSet<&str> = dictionary.entities.iter().map(|e| e.id.as_str()).collect();
    assert!(!ids.contains("tool:cybozu"));
    // Named without the note the members category adds.
    assert_eq!(dictionary.get("org:cybozu").unwrap().name, "Cybozu");
    let boxed = dictionary.get("org:box").unwrap();
    assert_eq!(
        (boxed.name.as_str(), boxed.kind, boxed.match_rule),
        ("Box", EntityKind::Org, MatchRule::Strict)
    );
    assert!(
        dictionary
            .entities
            .iter()
            .all(|e| !e.name.contains("(supporter)") && !e.name.contains("(member)"))
    );
    // A product's short form in capitals is strict.
    let ecs = dictionary
        .entities
        .iter()
        .find(|e| e.name == "Amazon Elastic Container Service (ECS)")
        .unwrap();
    assert_eq!(ecs.match_rule, MatchRule::Strict);
    let builtin = Dictionary::load(true, &[], Some(&path)).unwrap();
    assert_eq!(builtin.get("org:cybozu").unwrap().name, "Cybozu");
    assert_eq!(
        builtin.get("org:grafana-labs").unwrap().kind,
        EntityKind::Org
    );
    // "Cybozu Kubernetes Engine" is CKE.
    assert_eq!(
        builtin.get("neco:cke").unwrap().category,
        "Platform / Certified Kubernetes - Installer"
    );
}

#[test]
fn landscape_loads_quickly() {
    let Some(path) = landscape() else { return };
    let started = std::time::Instant::now();
    Dictionary::load(true, &[], Some(&path)).unwrap();
    let elapsed = started.elapsed();
    // Release builds take well under 0.5 s; debug builds get room.
    let limit = if cfg!(debug_assertions) { 5.0 } else { 0.5 };
    assert!(elapsed.as_secs_f64() < limit, "{elapsed:?}");
}

#[test]
fn malformed_landscape_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yml");
    std::fs::write(&path, "landscape:\n  - category:\n    name: [unclosed\n").unwrap();
    let err = Dictionary::load(true, &[], Some(&path)).unwrap_err();
    let message = format!("{err:#}");
    assert!(message.contains("broken.yml"), "{message}");
    assert!(message.contains("is not a CNCF landscape.yml"), "{message}");
}

#[test]
fn user_dict_overrides_and_adds() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("mine.toml");
    std::fs::write(
        &first,
        r#"
[[entity]]
id = "neco:moco"
aliases = ["MySQL operator"]
category = "Database"

[[entity]]
id = "tool:weeklygraph"
name = "weeklygraph"
kind = "tool"
urls = ["https://github.com/example/weeklygraph"]
"#,
    )
    .unwrap();
    let second = dir.path().join("later.toml");
    std::fs::write(
        &second,
        "[[entity]]\nid = \"neco:moco\"\ncategory = \"Operator\"\n",
    )
    .unwrap();

    let dictionary = Dictionary::load(true, &[first, second], None).unwrap();
    let moco = dictionary.get("neco:moco").unwrap();
    assert_eq!(moco.name, "MOCO");
    assert_eq!(moco.aliases, ["MySQL operator"]);
    assert_eq!(moco.category, "Operator");
    assert_eq!(moco.urls.len(), 2);
    let added = dictionary.get("tool:weeklygraph").unwrap();
    let by_id: weeklygraph::model::EntityTable = dictionary.entities.iter().cloned().collect();
    assert_eq!(added.kind, EntityKind::Tool);
    assert_eq!(added.urls, ["https://github.com/example/weeklygraph"]);
    assert_eq!(
        weeklygraph::query::resolve(&by_id, "WeeklyGraph")
            .ok()
            .map(|e| e.id.as_str()),
        Some("tool:weeklygraph")
    );
    assert_eq!(
        dictionary.entities.len(),
        Dictionary::builtin().unwrap().entities.len() + 1
    );
}

#[test]
fn user_dict_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "[[entity]]\nid = \"tool:x\"\nname = \"X\"\n\n[[entity]]\nid = \"oops\"\nname = \"Y\"\n",
    )
    .unwrap();
    let message = format!("{:#}", Dictionary::load(true, &[path], None).unwrap_err());
    assert!(message.contains("bad.toml"), "{message}");
    assert!(message.contains("line 5"), "{message}");

    let path = dir.path().join("syntax.toml");
    std::fs::write(&path, "[[entity]]\nid = \"tool:x\"\nname = \n").unwrap();
    let message = format!("{:#}", Dictionary::load(true, &[path], None).unwrap_err());
    assert!(message.contains("syntax.toml"), "{message}");
    assert!(message.contains("line 3"), "{message}");
}

#[test]
fn dict_command_prints_the_table() {
    let output = common::run_ok(common::weeklygraph().arg("dict"));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("id\tname\tkind\taliases"));
    let argo = stdout
        .lines()
        .find(|l| l.starts_with("tool:argo-cd\t"))
        .unwrap();
    assert_eq!(
        argo,
        "tool:argo-cd\tArgo CD\ttool\tArgoCD; argo-cd; argocd; Argo-CD"
    );
    assert_eq!(
        stdout.lines().count(),
        Dictionary::builtin().unwrap().entities.len() + 1
    );
}

#[test]
fn dict_aliases_prints_every_alias_once_sorted() {
    let output = common::run_ok(common::weeklygraph().args(["dict", "--aliases"]));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(lines, sorted);
    for alias in [
        "Argo CD",
        "ArgoCD",
        "MOCO",
        "マルチテナンシー",
        "K8s",
        "SIG Network",
    ] {
        assert!(lines.contains(&alias), "{alias} missing");
    }
    assert!(lines.iter().all(|l| !l.is_empty() && !l.contains('\t')));
}

#[test]
fn dict_with_user_file_and_no_default_dict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("only.toml");
    std::fs::write(
        &path,
        "[[entity]]\nid = \"tool:foo\"\nname = \"Foo\"\naliases = [\"foo-bar\"]\n",
    )
    .unwrap();
    let output = common::run_ok(
        common::weeklygraph()
            .args(["dict", "--no-default-dict", "--aliases", "--dict"])
            .arg(&path),
    );
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "Foo\nfoo-bar\n");
}

#[test]
fn dict_with_a_missing_file_fails_with_its_name() {
    let output = common::weeklygraph()
        .args(["dict", "--dict", "no/such/file.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("no/such/file.toml"), "{stderr}");
}

fn dict_file(dir: &std::path::Path, text: &str) -> PathBuf {
    let path = dir.join("mine.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Each entry's line used to be counted from the file's start: 30k
/// entries took over 20 s.
#[test]
fn a_dictionary_of_30000_entries_loads_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for n in 0..30_000 {
        text.push_str(&format!(
            "[[entity]]\nid = \"tool:t{n}\"\nname = \"Tool Number {n}\"\naliases = [\"tn{n}\"]\n\n"
        ));
    }
    let path = dict_file(dir.path(), &text);
    let started = std::time::Instant::now();
    let output = common::run_ok(
        common::weeklygraph()
            .args(["dict", "--no-default-dict", "--dict"])
            .arg(&path),
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().count(),
        30_001
    );
}

#[test]
#[cfg(unix)]
fn a_fifo_given_as_dictionary_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("dict.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let mut child = common::weeklygraph()
        .args(["dict", "--dict"])
        .arg(&fifo)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("weeklygraph waited on the FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("is not a regular file"), "{stderr}");
}

#[test]
fn duplicate_ids_and_empty_or_short_aliases_are_errors_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[[entity]]\nid = \"tool:x\"\nname = \"X Tool\"\n\n[[entity]]\nid = \"tool:x\"\nname = \"Other\"\n",
            "line 5: tool:x is listed twice in this file (first at line 1)",
        ),
        (
            "[[entity]]\nid = \"tool:x\"\nname = \"X Tool\"\naliases = [\"\"]\n",
            "line 1: tool:x has an empty alias \"\"",
        ),
        (
            "\n[[entity]]\nid = \"tool:x\"\nname = \"X Tool\"\naliases = [\"   \"]\n",
            "line 2: tool:x has an empty alias \"   \"",
        ),
        (
            "[[entity]]\nid = \"tool:x\"\nname = \"X Tool\"\naliases = [\"xt\", \"a\"]\n",
            "line 1: tool:x has the alias \"a\", under 2 characters",
        ),
    ];
    for (text, expected) in cases {
        let path = dict_file(dir.path(), text);
        let output = common::weeklygraph()
            .args(["dict", "--dict"])
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(expected), "expected {expected:?}: {stderr}");
    }
}

/// Two entities with one alias: one warning, and the mention counted once.
#[test]
fn an_alias_two_entities_claim_goes_to_the_later_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dict_file(
        dir.path(),
        "[[entity]]\nid = \"tool:first\"\nname = \"First Tool\"\naliases = [\"Shared\"]\n\n\
         [[entity]]\nid = \"tool:second\"\nname = \"Second Tool\"\naliases = [\"shared\"]\n",
    );
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("2023-01-06.md"),
        "# Neco Weekly (2023-01-06号)\n\n## News\n\n### Shared news\n\nShared is out.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = common::run_ok(
        common::weeklygraph()
            .args([
                "build",
                "--no-render",
                "--quiet",
                "--no-default-dict",
                "--dict",
            ])
            .arg(&path)
            .arg("-o")
            .arg(&out)
            .arg(&corpus),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("is claimed by"))
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "weeklygraph: warning: {}: line 6: the alias \"shared\" is claimed by tool:second and tool:first; tool:second, listed later, gets its mentions",
            path.display()
        )],
        "{stderr}"
    );
    let mentioned: BTreeSet<String> = common::read_csv(&out.join("mentions.csv"))
        .into_iter()
        .map(|row| row["entity_id"].clone())
        .collect();
    assert_eq!(mentioned, BTreeSet::from(["tool:second".to_string()]));
}
