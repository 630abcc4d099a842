//! End-to-end runs of the `gwr` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gwr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("gwr runs")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gwr-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn lines(b: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(b)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn samples_as_jsonl() {
    let out = gwr(&["parse", "samples", "--format", "jsonl"]);
    assert!(out.status.success());
    let docs: Vec<serde_json::Value> = lines(&out.stdout)
        .iter()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect();
    assert_eq!(docs.len(), 8);
    let first = &docs[0];
    assert_eq!(first["file"], "000_c7f94249779b73e0.txt");
    assert_eq!(first["region"], "江干区");
    assert_eq!(first["region_code"], "330104");
    assert_eq!(first["meeting"], "江干区第十五届人民代表大会第二次会议");
    let types: Vec<&str> = docs.iter().filter_map(|d| d["doc_type"].as_str()).collect();
    assert_eq!(types.iter().filter(|t| **t == "glossary").count(), 2);
}

#[test]
fn json_and_text_formats() {
    let out = gwr(&[
        "parse",
        "samples/004_52a675322059d49e.txt",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(v[0]["documents"][0]["speaker"], "惠海涛");
    let out = gwr(&["parse", "samples/004_52a675322059d49e.txt"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("惠海涛") && text.contains("[review]"),
        "{text}"
    );
}

#[test]
fn a_batch_goes_on_past_bad_files() {
    let out = gwr(&["parse", "tests/fixtures", "--format", "jsonl"]);
    assert!(out.status.success(), "some files were readable");
    let err = lines(&out.stderr);
    for bad in [
        "empty.txt",
        "binary.bin",
        "image.png",
        "scanned.pdf",
        "notazip.docx",
        "fakezip.docx",
    ] {
        let hits: Vec<&String> = err.iter().filter(|l| l.contains(bad)).collect();
        assert_eq!(hits.len(), 1, "one message for {bad}: {err:?}");
        assert!(hits[0].starts_with("gwr: "));
    }
    // Every good fixture produced its document.
    let docs = lines(&out.stdout);
    assert!(docs.len() >= 11, "{}", docs.len());
}

#[test]
fn nothing_readable_is_a_failure() {
    let out = gwr(&["parse", "tests/fixtures/empty.txt", "no/such/file.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let err = lines(&out.stderr);
    assert_eq!(err.len(), 2, "{err:?}");
    assert!(
        err.iter()
            .any(|l| l.contains("no/such/file.txt") && l.contains("no such file"))
    );
    assert!(
        err.iter()
            .any(|l| l.contains("empty.txt") && l.contains("empty file"))
    );
}

#[test]
fn huge_files_are_refused_before_reading() {
    let d = scratch("huge");
    let big = d.join("big.txt");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(200 * 1024 * 1024).expect("sparse file");
    let good = d.join("ok.txt");
    std::fs::copy(root().join("tests/fixtures/seed000.utf8.txt"), &good).expect("copy");
    let out = gwr(&["parse", path(&d), "--format", "jsonl"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("big.txt") && err.contains("too large"),
        "{err}"
    );
    assert_eq!(lines(&out.stdout).len(), 1);
    let _ = std::fs::remove_dir_all(&d);
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

#[test]
fn facts_targets_and_commitments() {
    let out = gwr(&[
        "facts", "samples", "--format", "jsonl", "--metric", "gdp", "--kind", "target",
    ]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = lines(&out.stdout)
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["metric_id"] == "gdp" && r["kind"] == "target")
    );

    let out = gwr(&["commitments", "samples", "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = lines(&out.stdout)
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let count = |file: &str, stage: &str| {
        rows.iter()
            .filter(|r| {
                r["file"].as_str().is_some_and(|f| f.starts_with(file)) && r["stage"] == stage
            })
            .count()
    };
    assert_eq!(count("000", "final"), 10);
    assert_eq!(count("001", "candidate"), 12);
    assert_eq!(count("004", "candidate"), 12);
    for f in ["000", "002", "004"] {
        assert_eq!(count(f, "completed"), 1, "{f}");
    }

    let out = gwr(&["targets", "samples", "--format", "csv"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .next()
            .is_some_and(|h| h.contains("comparator") && h.contains("wording"))
    );

    let out = gwr(&[
        "track",
        "tests/fixtures/tracking",
        "--region",
        "余杭区",
        "--metric",
        "retail_sales",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("missed"), "{text}");
}

/// Run gwr, killing it (and failing) if it is not done within `secs`.
/// Its output is read while it runs, so a full pipe cannot stall it.
fn gwr_within(args: &[&str], secs: u64) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gwr runs");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("gwr {args:?} still running after {secs} s");
        }
    }
}

fn good_file(dir: &Path, name: &str) {
    std::fs::copy(
        root().join("tests/fixtures/seed000.utf8.txt"),
        dir.join(name),
    )
    .expect("copy");
}

#[cfg(unix)]
#[test]
fn devices_are_skipped_without_reading() {
    let out = gwr_within(&["parse", "/dev/zero", "--format", "jsonl"], 20);
    assert_eq!(out.status.code(), Some(1));
    let err = lines(&out.stderr);
    assert_eq!(err.len(), 1, "{err:?}");
    assert!(
        err[0].contains("/dev/zero") && err[0].contains("character device"),
        "{err:?}"
    );
}

#[cfg(unix)]
#[test]
fn fifos_never_block_and_are_named() {
    let d = scratch("fifo");
    good_file(&d, "a.txt");
    let fifo = d.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    // In a directory: the good file is read, the pipe gets one line.
    let out = gwr_within(&["parse", path(&d), "--format", "jsonl"], 20);
    assert!(out.status.success());
    assert_eq!(lines(&out.stdout).len(), 1);
    let err = lines(&out.stderr);
    assert_eq!(err.len(), 1, "{err:?}");
    assert!(
        err[0].contains("pipe.txt") && err[0].contains("named pipe"),
        "{err:?}"
    );
    // Named as an argument: skipped, not opened.
    let out = gwr_within(&["parse", path(&fifo)], 20);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("named pipe"));
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_and_read_each_file_once() {
    let d = scratch("loops");
    good_file(&d, "a.txt");
    std::os::unix::fs::symlink(".", d.join("x")).expect("symlink");
    std::os::unix::fs::symlink(".", d.join("y")).expect("symlink");
    std::fs::create_dir(d.join("sub")).expect("dir");
    std::os::unix::fs::symlink("..", d.join("sub/up")).expect("symlink");
    // Not followed by default.
    let out = gwr_within(&["parse", path(&d), "--format", "jsonl"], 30);
    assert!(out.status.success());
    assert_eq!(lines(&out.stdout).len(), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("not followed (use --follow)").count(),
        3,
        "{err}"
    );
    // Followed on request: every loop is cut, the file is read once.
    let out = gwr_within(&["parse", path(&d), "--format", "jsonl", "--follow"], 30);
    assert!(out.status.success());
    assert_eq!(lines(&out.stdout).len(), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("symlink loop").count(), 3, "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn file_names_cannot_forge_lines_or_send_escapes() {
    use std::os::unix::ffi::OsStrExt;
    let d = scratch("names");
    good_file(&d, "a.txt");
    std::fs::write(d.join("x\ngwr: forged.txt"), b"").expect("write");
    std::fs::write(d.join("\u{1b}[2Jclear.txt"), b"").expect("write");
    std::fs::write(d.join(std::ffi::OsStr::from_bytes(b"bad\xff.txt")), b"").expect("write");
    let out = gwr_within(&["parse", path(&d), "--format", "jsonl"], 20);
    assert!(out.status.success());
    assert!(!out.stderr.contains(&0x1b), "ESC reached the terminal");
    let err = lines(&out.stderr);
    assert_eq!(err.len(), 3, "{err:?}");
    assert!(
        err.iter()
            .any(|l| l.contains("x\\ngwr: forged.txt: empty file"))
    );
    assert!(err.iter().any(|l| l.contains("\\u{1b}[2Jclear.txt")));
    assert!(err.iter().any(|l| l.contains("bad\\xff.txt")));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn absurd_job_counts_are_capped() {
    let out = gwr_within(
        &[
            "--jobs",
            "100000000",
            "parse",
            "tests/fixtures/seed000.utf8.txt",
            "--format",
            "jsonl",
        ],
        30,
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 4 per core"));
}

/// A one-page PDF whose two Pages nodes are each other's /Parent.
fn looping_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [4 0 R] /Count 1 /Parent 3 0 R >>",
        "<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
        "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
        "<< /Length 33 >>\nstream\nBT /F1 12 Tf 72 712 Td (Hi) Tj ET\nendstream",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

#[test]
fn a_pdf_whose_page_tree_loops_does_not_stop_the_batch() {
    let d = scratch("pdf-loop");
    good_file(&d, "a.txt");
    good_file(&d, "b.txt");
    std::fs::write(d.join("loop.pdf"), looping_pdf()).expect("write");
    let out = gwr_within(&["facts", path(&d), "--format", "jsonl"], 60);
    assert!(out.status.success());
    assert!(!out.stdout.is_empty(), "the good files' facts are printed");
    let err = lines(&out.stderr);
    assert_eq!(err.len(), 1, "{err:?}");
    assert!(
        err[0].contains("loop.pdf") && err[0].contains("page tree loops"),
        "{err:?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// A DOCX whose document part is `body` inside one run.
fn docx(body: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let xml = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body><w:p><w:r>{body}</w:r></w:p></w:body></w:document>"
    );
    zip.start_file("word/document.xml", opts)
        .expect("zip entry");
    zip.write_all(xml.as_bytes()).expect("zip write");
    zip.finish().expect("zip").into_inner()
}

/// Facts of the samples, without the file column (paths differ).
fn facts_without_files(stdout: &[u8]) -> Vec<String> {
    let mut v: Vec<String> = lines(stdout)
        .iter()
        .map(|l| {
            let mut j: serde_json::Value = serde_json::from_str(l).expect("json line");
            if let Some(o) = j.as_object_mut() {
                o.remove("file");
            }
            j.to_string()
        })
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn a_batch_of_every_hostile_file_finishes_with_the_samples_complete() {
    let d = scratch("hostile");
    for e in std::fs::read_dir(root().join("samples")).expect("samples") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, d.join(p.file_name().expect("name"))).expect("copy");
    }
    // A PDF whose page tree loops; DOCX files that expand (a text past the
    // cap, a page of line breaks); runs of figures without a full stop;
    // a date that does not exist; names that forge lines; a FIFO; symlink
    // loops; a device named on the command line.
    std::fs::write(d.join("loop.pdf"), looping_pdf()).expect("write");
    let big = "经济增长5%，".repeat(70 * 1024 * 1024 / 16 + 1);
    std::fs::write(d.join("bomb.docx"), docx(&format!("<w:t>{big}</w:t>"))).expect("write");
    drop(big);
    std::fs::write(d.join("breaks.docx"), docx(&"<w:br/>".repeat(300_000))).expect("write");
    std::fs::write(d.join("percent.txt"), "1%".repeat(20_000)).expect("write");
    std::fs::write(d.join("figures.txt"), "地区生产总值增长5%，".repeat(2_000)).expect("write");
    std::fs::write(
        d.join("date.txt"),
        "政府工作报告\n——2021年1月58日在某县第一届人民代表大会第一次会议上\n",
    )
    .expect("write");
    std::fs::write(d.join("x\ngwr: forged.txt"), b"").expect("write");
    let made = Command::new("mkfifo")
        .arg(d.join("pipe.txt"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink(".", d.join("loop1")).expect("symlink");
    std::os::unix::fs::symlink(".", d.join("loop2")).expect("symlink");

    let alone = gwr_within(&["facts", "samples", "--format", "jsonl"], 120);
    assert!(alone.status.success());
    for follow in [false, true] {
        let mut args = vec!["facts", path(&d), "/dev/zero", "--format", "jsonl"];
        if follow {
            args.push("--follow");
        }
        let out = gwr_within(&args, 300);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        for (name, why) in [
            ("loop.pdf", "page tree loops"),
            ("bomb.docx", "text too large"),
            ("breaks.docx", "no text"),
            ("forged.txt", "empty file"),
            ("pipe.txt", "named pipe"),
            ("/dev/zero", "character device"),
        ] {
            assert!(
                err.lines().any(|l| l.contains(name) && l.contains(why)),
                "no line for {name} ({why}):\n{err}"
            );
        }
        // The samples' facts are all there, once each, and nothing was forged.
        let samples: Vec<String> = facts_without_files(&alone.stdout);
        let got = facts_without_files(&out.stdout);
        for f in &samples {
            assert_eq!(
                got.iter().filter(|g| *g == f).count(),
                samples.iter().filter(|g| *g == f).count(),
                "{f}"
            );
        }
        assert!(!err.lines().any(|l| l.starts_with("gwr: forged.txt")));
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_file_past_its_time_is_given_up_and_the_batch_goes_on() {
    let d = scratch("timeout");
    good_file(&d, "a.txt");
    // Linear, but long: 13 MB with a figure every ten characters, far more
    // than the second allowed below (it would have to parse such text at
    // 13 MB/s), while the good file takes a small part of it even in a debug
    // build on a loaded machine.
    std::fs::write(d.join("slow.txt"), "地区生产总值增长5%，".repeat(400_000)).expect("write");
    let out = gwr_within(
        &[
            "facts",
            path(&d),
            "--format",
            "jsonl",
            "--file-timeout",
            "1",
        ],
        120,
    );
    assert!(out.status.success());
    let err = lines(&out.stderr);
    assert_eq!(err.len(), 1, "{err:?}");
    assert!(
        err[0].contains("slow.txt") && err[0].contains("time limit of 1 s"),
        "{err:?}"
    );
    assert!(!lines(&out.stdout).is_empty(), "the good file's facts");
    let _ = std::fs::remove_dir_all(&d);
}
