//! The Lua workload scenarios: plain Lua 5.1 scripts in `workloads/lua/` that run
//! unchanged on `luagc`, Debian's `lua5.1` and `lua5.4`, and `luajit`, so collectors and
//! interpreters can be compared on identical mutator work.
//!
//! Each script takes its size as `arg[1]` and ends with one checksum line
//! (`checksum NAME ...`) that every interpreter must print identically. This crate lists
//! them with a default (benchmark) size, a large size, a smoke size for quick checks, and the checksum
//! Debian's `lua5.1` prints at the smoke size. `gcbench` and the smoke tests read it.

use std::path::PathBuf;

/// One workload script and the sizes it is run at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    /// Short name; the script is `lua/NAME.lua` and its checksum line starts with
    /// `checksum NAME`.
    pub name: &'static str,
    /// What the workload stresses in a collector.
    pub description: &'static str,
    /// The arguments of a benchmark run (the script's own defaults, made explicit so the
    /// raw results record them).
    pub default_args: &'static [&'static str],
    /// The arguments of a large run: several times the benchmark's work or live heap.
    pub large_args: &'static [&'static str],
    /// Arguments small enough for a run of well under a second that still collects.
    pub smoke_args: &'static [&'static str],
    /// The last stdout line at `smoke_args`, as Debian's `lua5.1` prints it.
    pub smoke_checksum: &'static str,
}

impl Workload {
    /// Absolute path of the script (this crate's directory is compiled in, so the
    /// binaries using it must run from the same checkout).
    pub fn script(&self) -> PathBuf {
        lua_dir().join(format!("{}.lua", self.name))
    }
}

/// The directory holding the scripts.
pub fn lua_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lua")
}

/// Every workload, in the order reports list them.
pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "binary_trees",
        description: "benchmarks-game binary-trees: short-lived trees beside one long-lived tree",
        default_args: &["16"],
        large_args: &["18"],
        smoke_args: &["12"],
        smoke_checksum: "checksum binary_trees 12 674478",
    },
    Workload {
        name: "fib",
        description: "recursive Fibonacci: no allocation, the interpreter alone (a control)",
        default_args: &["30"],
        large_args: &["33"],
        smoke_args: &["20"],
        smoke_checksum: "checksum fib 20 6765",
    },
    Workload {
        name: "live_tables",
        description: "10 million small tables kept live, a quarter replaced per pass: a huge live heap under churn",
        default_args: &["10000000"],
        large_args: &["20000000"],
        smoke_args: &["100000"],
        smoke_checksum: "checksum live_tables 100000 2115548118",
    },
    Workload {
        name: "lru_cache",
        description: "LRU cache (hash + doubly linked list), 6 million entries (over 1 GB live on luagc), evictions as steady garbage",
        default_args: &["6000000"],
        large_args: &["12000000"],
        smoke_args: &["20000"],
        smoke_checksum: "checksum lru_cache 20000 1451099415 199607",
    },
    Workload {
        name: "graph_rewire",
        description: "2 million node graph with random rewiring: garbage decided by the graph, not by age",
        default_args: &["2000000"],
        large_args: &["4000000"],
        smoke_args: &["20000"],
        smoke_checksum: "checksum graph_rewire 20000 22842 227877570",
    },
    Workload {
        name: "seed_tables",
        description: "the seed scenario: tens of millions of three-field tables kept live in one array, a full collection, then half of them replaced (garbage spread over the whole heap)",
        default_args: &["10000000"],
        large_args: &["60000000"],
        smoke_args: &["20000"],
        smoke_checksum: "checksum seed_tables 20000 210010057 10057",
    },
    Workload {
        name: "csv_load",
        description: "data loading: a CSV text generated in memory and parsed (string.match, tonumber) into one record table per row, millions kept live, then aggregated and corrected in place",
        default_args: &["1000000"],
        large_args: &["14000000"],
        smoke_args: &["5000"],
        smoke_checksum: "checksum csv_load 5000 534979302 11855609 312",
    },
    Workload {
        name: "loop_finder",
        description: "loop recognition on a generated control-flow graph of a million blocks: DFS numbering, dominators, natural loops with union-find, per-pass garbage over a live graph",
        default_args: &["500000"],
        large_args: &["10000000", "1"],
        smoke_args: &["5000"],
        smoke_checksum: "checksum loop_finder 5000 508 1465 6 11631 13515800",
    },
    Workload {
        name: "sched_sim",
        description: "object-oriented task-scheduler simulation: metatable classes with inheritance, closures, an event heap; short-lived packets and queue nodes stored into long-lived tasks",
        default_args: &["2000000"],
        large_args: &["8000000"],
        smoke_args: &["20000"],
        smoke_checksum: "checksum sched_sim 20000 704790 3579 16123",
    },
    Workload {
        name: "json_roundtrip",
        description: "JSON serialisation round trip: generated documents encoded with a concat buffer, parsed back by recursive descent, re-encoded and compared: many short strings",
        default_args: &["10000"],
        large_args: &["40000"],
        smoke_args: &["100"],
        smoke_checksum: "checksum json_roundtrip 100 332315 556899446 28027",
    },
    Workload {
        name: "text_proc",
        description: "text processing: gmatch tokenising, gsub with captures, function and table replacements, string.format and concatenation; a word-frequency table stays live",
        default_args: &["100000"],
        large_args: &["400000"],
        smoke_args: &["1000"],
        smoke_checksum: "checksum text_proc 1000 2928 416729 716926540 552231593",
    },
    Workload {
        name: "weak_memo",
        description: "memoization through weak tables: weak-valued, weak-keyed (ephemeron, some values referring to their key) and fully weak interning caches under a stream of lookups",
        default_args: &["500000"],
        large_args: &["2000000"],
        smoke_args: &["20000"],
        smoke_checksum: "checksum weak_memo 20000 1808900704 2190",
    },
    Workload {
        name: "finalizers",
        description: "objects with __gc (newproxy on 5.1, tables on 5.4) created and dropped at a steady rate, one in five resurrected by its finalizer; totals checked after full collections",
        default_args: &["2000000"],
        large_args: &["8000000"],
        smoke_args: &["20000"],
        smoke_checksum: "checksum finalizers 20000 200010000 39956960 4000 40010000",
    },
    Workload {
        name: "coro_pipeline",
        description: "thousands of live coroutines as generator/filter/map/window pipelines with recursion in some stages: many thread stacks traced, small values passed between them",
        default_args: &["2000000"],
        large_args: &["8000000"],
        smoke_args: &["10000"],
        smoke_checksum: "checksum coro_pipeline 10000 8 1830811352 118082",
    },
    Workload {
        name: "big_objects",
        description: "large objects: multi-MB strings (concat, rep, gsub) and tables of up to a million slots built and dropped every round over a live set of three",
        default_args: &["150"],
        large_args: &["600"],
        smoke_args: &["4"],
        smoke_checksum: "checksum big_objects 4 1093916487 5726788",
    },
    Workload {
        name: "fragmentation",
        description: "mixed sizes (strings to 2 KB, arrays to 256 slots, hashes to 64 fields, closures) with heavy-tailed random lifetimes on a timing wheel: heap size over live data",
        default_args: &["3000000"],
        large_args: &["12000000"],
        smoke_args: &["20000"],
        smoke_checksum: "checksum fragmentation 20000 16104 119440675 19948 10116",
    },
    Workload {
        name: "nbody_vec",
        description: "32-body simulation over an immutable vector class with arithmetic metamethods: every operation allocates a small table that dies in the step (pure young garbage)",
        default_args: &["10000"],
        large_args: &["40000"],
        smoke_args: &["100"],
        smoke_checksum: "checksum nbody_vec 100 -1758524864769 729498",
    },
];

/// The workload called `name`.
pub fn find(name: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().find(|w| w.name == name)
}

/// The checksum line of a run's stdout: its last non-empty line.
pub fn checksum_line(stdout: &str) -> Option<&str> {
    stdout
        .lines()
        .rev()
        .map(str::trim_end)
        .find(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn list_is_consistent() {
        let mut names = HashSet::new();
        for w in WORKLOADS {
            assert!(names.insert(w.name), "duplicate workload name {}", w.name);
            let script = w.script();
            assert!(script.is_file(), "{} is missing", script.display());
            let text = std::fs::read_to_string(&script).unwrap();
            assert!(
                text.contains(&format!("checksum {}", w.name)),
                "{} does not print a `checksum {}` line",
                script.display(),
                w.name
            );
            assert!(!w.default_args.is_empty() && !w.smoke_args.is_empty());
            let size = |args: &[&str]| args[0].parse::<u64>().unwrap();
            assert!(size(w.smoke_args) < size(w.default_args), "{}", w.name);
            assert!(size(w.default_args) < size(w.large_args), "{}", w.name);
            assert!(
                w.smoke_checksum
                    .starts_with(&format!("checksum {} {} ", w.name, w.smoke_args[0])),
                "{}: smoke checksum names the workload and its size",
                w.name
            );
            assert_eq!(find(w.name), Some(w));
        }
        // Every script in lua/ is listed, so none is silently left out of gcbench.
        for entry in std::fs::read_dir(lua_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "lua") {
                let stem = path.file_stem().unwrap().to_str().unwrap();
                assert!(find(stem).is_some(), "{} is not listed", path.display());
            }
        }
    }

    #[test]
    fn checksum_is_last_non_empty_line() {
        assert_eq!(checksum_line("a\nchecksum x 1\n\n"), Some("checksum x 1"));
        assert_eq!(checksum_line(""), None);
    }
}
