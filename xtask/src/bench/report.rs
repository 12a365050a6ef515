//! The report: one markdown table of figures with their goals, and the machine it ran on.

use std::process::Command;

/// How a figure compares with its target. A budget is hard (a miss fails the command); a goal
/// is marked and fails the command only with `--strict`.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    Budget(bool),
    Goal(bool),
    /// The measurement itself went wrong (requests failed): always fails the command.
    Broken,
}

#[derive(Clone)]
pub struct Row {
    pub section: &'static str,
    pub figure: String,
    pub measured: String,
    pub target: String,
    pub check: Option<Check>,
}

pub fn row(
    section: &'static str,
    figure: impl Into<String>,
    measured: impl Into<String>,
    target: impl Into<String>,
    check: Option<Check>,
) -> Row {
    Row {
        section,
        figure: figure.into(),
        measured: measured.into(),
        target: target.into(),
        check,
    }
}

fn mark(check: Option<Check>) -> &'static str {
    match check {
        None => "",
        Some(Check::Budget(true) | Check::Goal(true)) => "✅",
        Some(Check::Budget(false)) => "❌ over budget",
        Some(Check::Goal(false)) => "❌ missed goal",
        Some(Check::Broken) => "❌ errors",
    }
}

pub fn table(rows: &[Row]) -> String {
    let mut out =
        String::from("| part | figure | measured | target | result |\n|---|---|---|---|---|\n");
    let mut last = "";
    for r in rows {
        let section = if r.section == last { "" } else { r.section };
        last = r.section;
        out.push_str(&format!(
            "| {section} | {} | {} | {} | {} |\n",
            r.figure,
            r.measured,
            r.target,
            mark(r.check)
        ));
    }
    out
}

/// Thousands separators: 224056 → "224,056".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Milliseconds with a precision that suits their size.
pub fn ms(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.2} ms")
    } else if v < 100.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.0} ms")
    }
}

pub fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

/// "2 cores (model), 24 GB, Debian GNU/Linux 12 (bookworm); Chromium …; wrangler …".
pub fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0);
    let os = std::fs::read_to_string("/etc/os-release")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("PRETTY_NAME=")
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "unknown OS".into());
    let version = |cmd: &mut Command| {
        cmd.output()
            .ok()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
            .unwrap_or_default()
    };
    let chromium = version(Command::new(harness::chromium::chromium_bin()).arg("--version"));
    let chromium = chromium.split(" built on").next().unwrap_or_default();
    let package = std::fs::read_to_string(crate::root().join("node_modules/wrangler/package.json"))
        .unwrap_or_default();
    let wrangler = serde_json::from_str::<serde_json::Value>(&package)
        .ok()
        .and_then(|p| p["version"].as_str().map(str::to_string))
        .unwrap_or_default();
    format!(
        "{cores} cores{}, {:.0} GB RAM, {os}; {chromium}; wrangler {wrangler} (local workerd)",
        model.map(|m| format!(" ({m})")).unwrap_or_default(),
        mem_kb as f64 / 1024.0 / 1024.0
    )
}

/// The commit measured, marked when the tree had changes.
pub fn commit() -> String {
    let run = |args: &[&str]| {
        Command::new("git")
            .current_dir(crate::root())
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let head = run(&["rev-parse", "--short", "HEAD"])
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into());
    let dirty = run(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
    format!(
        "{head}{}",
        if dirty { " + uncommitted changes" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (224_056, "224,056"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(super::thousands(n), s);
        }
    }
}
