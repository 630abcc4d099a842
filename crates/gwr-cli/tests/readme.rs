//! Every `gwr` command in README.md's `sh` blocks runs as written: from a
//! scratch folder holding the repository's `samples` and `tests`, in README
//! order (so `gwr ingest` comes before the searches), with `cargo run … --`
//! read as `gwr`. Redirections (`> FILE`) keep the output in the test. A
//! `gwr serve` line must print its URL (or find its port taken) and is then
//! stopped. Blocks marked `text` are synopses, not examples.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Shell words of one line: single and double quotes, no expansions.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, '#') if cur.is_empty() && !any => break,
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The `gwr` commands of README's sh blocks, as argument lists.
fn examples(readme: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        let t = line.trim();
        if let Some(lang) = t.strip_prefix("```") {
            in_sh = !in_sh && lang == "sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let w = words(t);
        let args: Vec<String> = if w.first().map(String::as_str) == Some("gwr") {
            w[1..].to_vec()
        } else if w.first().map(String::as_str) == Some("cargo")
            && w.get(1).map(String::as_str) == Some("run")
            && w.iter().any(|x| x == "gwr-cli")
        {
            match w.iter().position(|x| x == "--") {
                Some(i) => w[i + 1..].to_vec(),
                None => continue,
            }
        } else {
            continue;
        };
        out.push((t.to_string(), args));
    }
    out
}

fn link(from: &Path, to: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(from, to).expect("symlink");
    #[cfg(not(unix))]
    let _ = (from, to);
}

#[test]
fn every_readme_example_runs_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let ex = examples(&readme);
    assert!(ex.len() >= 20, "README examples found: {}", ex.len());
    let dir = std::env::temp_dir().join(format!("gwr-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    link(&root().join("samples"), &dir.join("samples"));
    link(&root().join("tests"), &dir.join("tests"));
    for (line, mut args) in ex {
        // `> FILE`: the output stays in the test.
        if let Some(i) = args.iter().position(|a| a == ">") {
            args.truncate(i);
        }
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gwr"));
        cmd.args(&args).current_dir(&dir).env("HOME", &dir);
        if args.first().map(String::as_str) == Some("serve") {
            let mut child = cmd
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("gwr serve starts");
            let mut first = String::new();
            if let Some(out) = child.stdout.take() {
                let _ = std::io::BufReader::new(out).read_line(&mut first);
            }
            let _ = child.kill();
            let out = child.wait_with_output().expect("gwr serve stops");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                first.contains("http://") || err.contains("in use"),
                "{line}: {first}{err}"
            );
            continue;
        }
        let out = cmd.output().expect("gwr runs");
        assert!(
            out.status.success(),
            "{line}: exit {:?}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stdout.is_empty() || !out.stderr.is_empty(),
            "{line}: printed nothing"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shell_words_keep_quotes_and_drop_comments() {
    assert_eq!(
        words(r#"gwr search '"推进 最多跑一次 改革"' 营商环境   # a phrase"#),
        ["gwr", "search", "\"推进 最多跑一次 改革\"", "营商环境"]
    );
    assert_eq!(
        words(r#"gwr sql "SELECT 1 # no comment""#),
        ["gwr", "sql", "SELECT 1 # no comment"]
    );
}
