//! Tables generated into a Markdown paper in place, so every number in its text comes
//! from a results file. A block is
//!
//! ```text
//! <!-- gcbench:table results/suite.json time:binary_trees -->
//! (anything: replaced by the caption and the table)
//! <!-- /gcbench -->
//! ```
//!
//! where the path is relative to the paper's directory and the name is one of
//! [`report::named_table`]'s. Rewriting a paper whose blocks are current gives the same
//! bytes, which is how a test checks that the paper's copy is not stale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::report;
use super::results::Results;

/// The opening marker's start: `<!-- gcbench:table FILE NAME -->`.
const OPEN: &str = "<!-- gcbench:table ";
/// The closing marker, alone on its line.
const CLOSE: &str = "<!-- /gcbench -->";

/// One generated block of a paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The results file, as the marker names it (relative to the paper's directory).
    pub results: String,
    /// The table's name.
    pub table: String,
    /// The 1-based line of its opening marker.
    pub line: usize,
}

/// The blocks of `text`, checked: every opening marker names a file and a table and is
/// closed before the next one opens. Errors name `origin` and the line.
pub fn blocks(text: &str, origin: &Path) -> Result<Vec<Block>, String> {
    let shown = origin.display();
    let mut found: Vec<Block> = Vec::new();
    let mut open: Option<usize> = None;
    for (k, line) in text.lines().enumerate() {
        let line_no = k + 1;
        let t = line.trim();
        if let Some(rest) = t.strip_prefix(OPEN) {
            if let Some(at) = open {
                return Err(format!(
                    "{shown}:{line_no}: a gcbench block opens inside the one opened on line {at}"
                ));
            }
            let words: Vec<&str> = rest
                .strip_suffix("-->")
                .map(str::split_whitespace)
                .ok_or_else(|| format!("{shown}:{line_no}: the marker does not end with -->"))?
                .collect();
            let [results, table] = words[..] else {
                return Err(format!(
                    "{shown}:{line_no}: write `{OPEN}RESULTS.json TABLE -->`"
                ));
            };
            found.push(Block {
                results: results.to_owned(),
                table: table.to_owned(),
                line: line_no,
            });
            open = Some(line_no);
        } else if t == CLOSE && open.take().is_none() {
            return Err(format!(
                "{shown}:{line_no}: {CLOSE} closes no gcbench block"
            ));
        }
    }
    match open {
        Some(at) => Err(format!(
            "{shown}:{at}: the gcbench block is never closed with {CLOSE}"
        )),
        None => Ok(found),
    }
}

/// `text` (the paper at `origin`) with every block's content regenerated from its
/// results file: a caption naming the file, the matrix, the commit and the command that
/// rewrote it, then the table.
pub fn rewrite(text: &str, origin: &Path) -> Result<String, String> {
    let found = blocks(text, origin)?;
    let base = origin.parent().unwrap_or(Path::new("."));
    let mut loaded: BTreeMap<PathBuf, Results> = BTreeMap::new();
    let mut out = String::with_capacity(text.len());
    let mut next = found.iter().peekable();
    let mut skipping = false;
    for (k, line) in text.split_inclusive('\n').enumerate() {
        if skipping {
            if line.trim() == CLOSE {
                skipping = false;
                out.push_str(line);
            }
            continue;
        }
        out.push_str(line);
        let Some(block) = next.next_if(|b| b.line == k + 1) else {
            continue;
        };
        let path = base.join(&block.results);
        if !loaded.contains_key(&path) {
            let r = Results::read(&path)
                .map_err(|e| format!("{}:{}: {e}", origin.display(), block.line))?;
            loaded.insert(path.clone(), r);
        }
        let results = &loaded[&path];
        let table = report::named_table(results, &block.table).map_err(|e| {
            format!(
                "{}:{}: {}: {e}",
                origin.display(),
                block.line,
                block.results
            )
        })?;
        if !line.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&caption(results, &block.results));
        out.push_str("\n\n");
        out.push_str(&table);
        if !table.ends_with('\n') {
            out.push('\n');
        }
        skipping = true;
    }
    Ok(out)
}

/// Where a generated table's numbers come from.
fn caption(results: &Results, file: &str) -> String {
    let e = &results.environment;
    let commit = e
        .git_commit
        .as_deref()
        .map_or("an unknown commit", |c| &c[..c.len().min(12)]);
    let dirty = if e.git_dirty == Some(true) {
        " with uncommitted changes"
    } else {
        ""
    };
    let interrupted = if results.complete {
        ""
    } else {
        "; the run was interrupted"
    };
    format!(
        "*Generated by `gcbench report --paper` from `{file}`: matrix `{}`, {} invocation(s), commit {commit}{dirty}{interrupted}.*",
        results.matrix.origin, results.matrix.invocations
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_with_their_lines() {
        let text = "intro\n<!-- gcbench:table r.json wall -->\nold\n<!-- /gcbench -->\n\
                    <!-- gcbench:table s.json time:fib -->\n<!-- /gcbench -->\n";
        let b = blocks(text, Path::new("p.md")).unwrap();
        assert_eq!(
            b,
            vec![
                Block {
                    results: "r.json".into(),
                    table: "wall".into(),
                    line: 2
                },
                Block {
                    results: "s.json".into(),
                    table: "time:fib".into(),
                    line: 5
                },
            ]
        );
    }

    #[test]
    fn bad_markers_name_their_line() {
        let unclosed = "a\n<!-- gcbench:table r.json wall -->\nb\n";
        assert_eq!(
            blocks(unclosed, Path::new("p.md")).unwrap_err(),
            "p.md:2: the gcbench block is never closed with <!-- /gcbench -->"
        );
        let nested = "<!-- gcbench:table r.json wall -->\n<!-- gcbench:table r.json wall -->\n";
        assert!(blocks(nested, Path::new("p.md"))
            .unwrap_err()
            .starts_with("p.md:2: a gcbench block opens inside"));
        let stray = "x\n<!-- /gcbench -->\n";
        assert!(blocks(stray, Path::new("p.md"))
            .unwrap_err()
            .starts_with("p.md:2:"));
        let one_word = "<!-- gcbench:table wall -->\n<!-- /gcbench -->\n";
        assert!(blocks(one_word, Path::new("p.md"))
            .unwrap_err()
            .starts_with("p.md:1: write"));
    }

    #[test]
    fn a_paper_without_blocks_is_unchanged() {
        let text = "no tables\nhere\n";
        assert_eq!(rewrite(text, Path::new("p.md")).unwrap(), text);
    }
}
