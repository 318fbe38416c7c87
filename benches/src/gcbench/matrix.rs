//! The matrix file: what gcbench runs, in TOML. Named configurations (a `luagc`
//! collector with any `luagc` options, or an external interpreter with its arguments),
//! workloads (one of the workloads crate's at a size class, or any Lua script with its
//! arguments), the number of invocations and the bootstrap seed. A mistake is reported
//! with the line it is on.
//!
//! ```toml
//! invocations = 5
//! reference = "lua5.4"
//!
//! [[config]]
//! luagc = "all"                 # one configuration per gc_core collector, named after it
//!
//! [[config]]
//! name = "newgc-inc"
//! luagc = "newgc"
//! args = ["--gc-mode", "incremental"]
//!
//! [[config]]
//! name = "lua5.4-inc"
//! interpreter = "lua5.4"        # on PATH, or a path; skipped with a note when missing
//! args = ["-e", "collectgarbage('incremental')"]
//!
//! [[workload]]
//! name = "binary_trees"
//! size = "smoke"                # smoke, default or large; or args = ["14"]
//!
//! [[workload]]
//! name = "mine"
//! script = "../../my/bench.lua" # relative to this file
//! args = ["100"]
//! checksum = false              # no line to compare across configurations
//! ```

use std::path::{Path, PathBuf};

use super::sweep::{Sweep, SweepSpec};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The matrix used when none is given.
pub const QUICK: &str = include_str!("../../matrices/quick.toml");

/// Where [`QUICK`] lives in the repository (its scripts are relative to it).
pub fn quick_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("matrices/quick.toml")
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatrixFile {
    description: Option<String>,
    invocations: Option<Spanned<usize>>,
    reference: Option<Spanned<String>>,
    seed: Option<u64>,
    #[serde(default)]
    config: Vec<Spanned<ConfigSpec>>,
    #[serde(default)]
    workload: Vec<Spanned<WorkloadSpec>>,
    sweep: Option<Spanned<SweepSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigSpec {
    name: Option<String>,
    luagc: Option<String>,
    interpreter: Option<String>,
    #[serde(default)]
    args: Vec<String>,
    note: Option<String>,
    #[serde(default)]
    required: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkloadSpec {
    name: Option<String>,
    size: Option<SizeClass>,
    args: Option<Vec<String>>,
    script: Option<String>,
    checksum: Option<bool>,
    expect: Option<String>,
}

/// The sizes the workloads crate records for each of its workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SizeClass {
    /// Well under a second; checked against lua5.1's recorded checksum.
    Smoke,
    /// The benchmark size.
    Default,
    /// Several times the benchmark size.
    Large,
}

impl SizeClass {
    /// As the matrix file spells it.
    pub fn name(self) -> &'static str {
        match self {
            SizeClass::Smoke => "smoke",
            SizeClass::Default => "default",
            SizeClass::Large => "large",
        }
    }
}

/// What runs a configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Program {
    /// `luagc --gc COLLECTOR`.
    Luagc {
        /// The collector's name, one of the registry's (`gc_core::collectors::names`).
        collector: String,
    },
    /// An external interpreter, found on PATH unless it contains a slash.
    Interpreter {
        /// As written in the matrix (`lua5.4`).
        command: String,
    },
}

/// One configuration of the matrix (after `luagc = "all"` is expanded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigDef {
    /// The name tables use.
    pub name: String,
    /// What runs.
    pub program: Program,
    /// Options before the script (after `--gc NAME` for luagc).
    pub args: Vec<String>,
    /// A remark printed next to the name.
    pub note: String,
    /// Fail instead of skipping it when its program is missing.
    pub required: bool,
    /// The line of its `[[config]]` table.
    pub line: usize,
}

/// One workload of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadDef {
    /// The name tables use.
    pub name: String,
    /// The script (absolute, or as resolved against the matrix file's directory).
    pub script: PathBuf,
    /// The script's arguments.
    pub args: Vec<String>,
    /// The size class the arguments came from, if they came from one.
    pub size: Option<SizeClass>,
    /// Compare the last non-empty stdout line across configurations (and a run without
    /// one fails).
    pub checksum: bool,
    /// The line every configuration must print, when known.
    pub expect: Option<String>,
    /// The line of its `[[workload]]` table.
    pub line: usize,
}

/// A matrix, checked and resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    /// Where it was read from.
    pub origin: String,
    /// Its text, so results say exactly what ran.
    pub text: String,
    /// What it is for.
    pub description: Option<String>,
    /// Runs of each configuration on each workload.
    pub invocations: usize,
    /// The configuration the ratio column and "vs ref" are against.
    pub reference: Option<String>,
    /// The bootstrap seed.
    pub seed: u64,
    /// Configurations, in the order tables list them.
    pub configs: Vec<ConfigDef>,
    /// Workloads, in the order they run.
    pub workloads: Vec<WorkloadDef>,
    /// The space sweep of the luagc configurations, if any.
    #[serde(default)]
    pub sweep: Option<Sweep>,
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Matrix {
    /// Parses and checks `text`, read from `origin` (a path: scripts are relative to its
    /// directory). `collectors` are the collector names `luagc = "all"` expands to and
    /// that `luagc = NAME` must be among. Errors name `origin` and the line.
    pub fn parse(text: &str, origin: &Path, collectors: &[&str]) -> Result<Matrix, String> {
        let shown = origin.display().to_string();
        let file: MatrixFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            match line {
                Some(l) => format!("{shown}:{l}: {}", e.message().trim_end()),
                None => format!("{shown}: {}", e.message().trim_end()),
            }
        })?;
        let err = |span: std::ops::Range<usize>, msg: String| {
            format!("{shown}:{}: {msg}", line_of(text, span.start))
        };
        let base = origin.parent().unwrap_or(Path::new("."));

        let invocations = match &file.invocations {
            None => 5,
            Some(n) if *n.get_ref() == 0 => {
                return Err(err(n.span(), "invocations must be at least 1".into()))
            }
            Some(n) => *n.get_ref(),
        };

        let mut configs: Vec<ConfigDef> = Vec::new();
        for spanned in &file.config {
            let span = spanned.span();
            let line = line_of(text, span.start);
            let c = spanned.get_ref();
            let note = c.note.clone().unwrap_or_default();
            let before = configs.len();
            match (&c.luagc, &c.interpreter) {
                (Some(_), Some(_)) | (None, None) => {
                    return Err(err(
                        span,
                        "a [[config]] has exactly one of `luagc = COLLECTOR` and `interpreter = PROGRAM`"
                            .into(),
                    ))
                }
                (Some(collector), None) if collector == "all" => {
                    let template = c.name.clone().unwrap_or_else(|| "{collector}".into());
                    if !template.contains("{collector}") {
                        return Err(err(
                            span,
                            format!("luagc = \"all\" makes one configuration per collector: its name must contain {{collector}} (got \"{template}\")"),
                        ));
                    }
                    for name in collectors {
                        configs.push(ConfigDef {
                            name: template.replace("{collector}", name),
                            program: Program::Luagc {
                                collector: (*name).to_owned(),
                            },
                            args: c.args.clone(),
                            note: note.clone(),
                            required: c.required,
                            line,
                        });
                    }
                }
                (Some(collector), None) => {
                    if !collectors.contains(&collector.as_str()) {
                        return Err(err(
                            span,
                            format!(
                                "unknown collector \"{collector}\" (gc_core has: {}, or \"all\")",
                                collectors.join(", ")
                            ),
                        ));
                    }
                    configs.push(ConfigDef {
                        name: c.name.clone().unwrap_or_else(|| collector.clone()),
                        program: Program::Luagc {
                            collector: collector.clone(),
                        },
                        args: c.args.clone(),
                        note,
                        required: c.required,
                        line,
                    });
                }
                (None, Some(command)) => {
                    let name = c.name.clone().unwrap_or_else(|| {
                        Path::new(command)
                            .file_name()
                            .map_or_else(|| command.clone(), |f| f.to_string_lossy().into())
                    });
                    configs.push(ConfigDef {
                        name,
                        program: Program::Interpreter {
                            command: command.clone(),
                        },
                        args: c.args.clone(),
                        note,
                        required: c.required,
                        line,
                    });
                }
            }
            for k in before..configs.len() {
                let new = &configs[k];
                if new.name.is_empty() {
                    return Err(err(span.clone(), "a configuration name is empty".into()));
                }
                if let Some(earlier) = configs[..k].iter().find(|o| o.name == new.name) {
                    return Err(err(
                        span,
                        format!(
                            "configuration name \"{}\" is already used on line {}",
                            new.name, earlier.line
                        ),
                    ));
                }
            }
        }
        if configs.is_empty() {
            return Err(format!("{shown}: no [[config]]: nothing to run"));
        }

        let mut workloads_out: Vec<WorkloadDef> = Vec::new();
        for spanned in &file.workload {
            let span = spanned.span();
            let line = line_of(text, span.start);
            let w = spanned.get_ref();
            if w.size.is_some() && w.args.is_some() {
                return Err(err(span, "give `size` or `args`, not both".into()));
            }
            let def = match &w.script {
                Some(script) => {
                    if w.size.is_some() {
                        return Err(err(
                            span,
                            "`size` is for the workloads crate's scripts: give a script its `args`"
                                .into(),
                        ));
                    }
                    let path = base.join(script);
                    let name = w.name.clone().unwrap_or_else(|| {
                        path.file_stem()
                            .map_or_else(|| script.clone(), |s| s.to_string_lossy().into())
                    });
                    let checksum = w.checksum.unwrap_or(true);
                    if !checksum && w.expect.is_some() {
                        return Err(err(span, "`expect` needs `checksum = true`".into()));
                    }
                    WorkloadDef {
                        name,
                        script: path,
                        args: w.args.clone().unwrap_or_default(),
                        size: None,
                        checksum,
                        expect: w.expect.clone(),
                        line,
                    }
                }
                None => {
                    let Some(name) = &w.name else {
                        return Err(err(
                            span,
                            "a [[workload]] needs `name` (one of the workloads crate's) or `script`"
                                .into(),
                        ));
                    };
                    let Some(known) = workloads::find(name) else {
                        let all: Vec<&str> = workloads::WORKLOADS.iter().map(|w| w.name).collect();
                        return Err(err(
                            span,
                            format!(
                                "unknown workload \"{name}\" (known: {}; or give `script`)",
                                all.join(", ")
                            ),
                        ));
                    };
                    if w.checksum == Some(false) {
                        return Err(err(
                            span,
                            "the workloads crate's scripts always print a checksum: drop `checksum = false`"
                                .into(),
                        ));
                    }
                    let size = match (&w.args, w.size) {
                        (Some(_), _) => None,
                        (None, s) => Some(s.unwrap_or(SizeClass::Default)),
                    };
                    let args: Vec<String> = match (&w.args, size) {
                        (Some(a), _) => a.clone(),
                        (None, Some(SizeClass::Smoke)) => to_strings(known.smoke_args),
                        (None, Some(SizeClass::Large)) => to_strings(known.large_args),
                        (None, _) => to_strings(known.default_args),
                    };
                    let recorded = (args == to_strings(known.smoke_args))
                        .then(|| known.smoke_checksum.to_owned());
                    if let (Some(e), Some(r)) = (&w.expect, &recorded) {
                        if e != r {
                            return Err(err(
                                span,
                                format!("`expect` contradicts the recorded checksum \"{r}\""),
                            ));
                        }
                    }
                    WorkloadDef {
                        name: name.clone(),
                        script: known.script(),
                        args,
                        size,
                        checksum: true,
                        expect: w.expect.clone().or(recorded),
                        line,
                    }
                }
            };
            if let Some(earlier) = workloads_out.iter().find(|o| o.name == def.name) {
                return Err(err(
                    span,
                    format!(
                        "workload name \"{}\" is already used on line {} (give one a `name`)",
                        def.name, earlier.line
                    ),
                ));
            }
            workloads_out.push(def);
        }
        if workloads_out.is_empty() {
            return Err(format!("{shown}: no [[workload]]: nothing to run"));
        }

        let reference = match &file.reference {
            Some(r) => {
                if !configs.iter().any(|c| c.name == *r.get_ref()) {
                    return Err(err(
                        r.span(),
                        format!(
                            "reference \"{}\" is not a configuration's name",
                            r.get_ref()
                        ),
                    ));
                }
                Some(r.get_ref().clone())
            }
            None => None,
        };

        let sweep = match &file.sweep {
            Some(spec) => Some(
                Sweep::from_spec(spec.get_ref(), invocations)
                    .map_err(|msg| err(spec.span(), msg))?,
            ),
            None => None,
        };

        Ok(Matrix {
            sweep,
            origin: shown,
            text: text.to_owned(),
            description: file.description,
            invocations,
            reference,
            seed: file.seed.unwrap_or(1),
            configs,
            workloads: workloads_out,
        })
    }
}

impl Matrix {
    /// Keeps only the named workloads and configurations (`None`: all), in the matrix's
    /// order; a name the matrix lacks is an error. The reference is dropped when its
    /// configuration is.
    pub fn select(
        &mut self,
        workloads: Option<&[String]>,
        configs: Option<&[String]>,
    ) -> Result<(), String> {
        if let Some(names) = workloads {
            for n in names {
                if !self.workloads.iter().any(|w| &w.name == n) {
                    let all: Vec<&str> = self.workloads.iter().map(|w| w.name.as_str()).collect();
                    return Err(format!(
                        "{} has no workload \"{n}\" (it has: {})",
                        self.origin,
                        all.join(", ")
                    ));
                }
            }
            self.workloads.retain(|w| names.contains(&w.name));
        }
        if let Some(names) = configs {
            for n in names {
                if !self.configs.iter().any(|c| &c.name == n) {
                    let all: Vec<&str> = self.configs.iter().map(|c| c.name.as_str()).collect();
                    return Err(format!(
                        "{} has no configuration \"{n}\" (it has: {})",
                        self.origin,
                        all.join(", ")
                    ));
                }
            }
            self.configs.retain(|c| names.contains(&c.name));
            if self.reference.as_ref().is_some_and(|r| !names.contains(r)) {
                self.reference = None;
            }
        }
        if self.workloads.is_empty() || self.configs.is_empty() {
            return Err("nothing selected to run".to_owned());
        }
        Ok(())
    }

    /// Runs every workload of the workloads crate at `size` instead of the matrix's
    /// arguments (other scripts keep theirs).
    pub fn resize(&mut self, size: SizeClass) {
        for w in &mut self.workloads {
            let Some(known) = workloads::find(&w.name).filter(|k| k.script() == w.script) else {
                continue;
            };
            w.args = to_strings(match size {
                SizeClass::Smoke => known.smoke_args,
                SizeClass::Default => known.default_args,
                SizeClass::Large => known.large_args,
            });
            w.size = Some(size);
            w.expect = (size == SizeClass::Smoke).then(|| known.smoke_checksum.to_owned());
        }
    }
}

fn to_strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLLECTORS: &[&str] = &["newgc", "stw", "epsilon"];

    fn parse(text: &str) -> Result<Matrix, String> {
        Matrix::parse(text, Path::new("/m/x.toml"), COLLECTORS)
    }

    #[test]
    fn a_full_matrix_resolves() {
        let m = parse(
            r#"
invocations = 3
reference = "lua5.4-inc"
seed = 9

[[config]]
luagc = "all"
name = "luagc/{collector}"

[[config]]
name = "newgc-1t"
luagc = "newgc"
args = ["--gc-threads", "1"]

[[config]]
name = "lua5.4-inc"
interpreter = "lua5.4"
args = ["-e", "collectgarbage('incremental')"]

[[workload]]
name = "binary_trees"
size = "smoke"

[[workload]]
name = "fib"
args = ["25"]

[[workload]]
script = "lua/mine.lua"
args = ["7"]
checksum = false
"#,
        )
        .unwrap();
        assert_eq!(m.invocations, 3);
        assert_eq!(m.seed, 9);
        let names: Vec<&str> = m.configs.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "luagc/newgc",
                "luagc/stw",
                "luagc/epsilon",
                "newgc-1t",
                "lua5.4-inc"
            ]
        );
        assert_eq!(m.configs[0].line, 6);
        assert_eq!(m.configs[3].args, ["--gc-threads", "1"]);
        assert_eq!(
            m.configs[4].program,
            Program::Interpreter {
                command: "lua5.4".into()
            }
        );
        assert_eq!(m.reference.as_deref(), Some("lua5.4-inc"));
        let bt = &m.workloads[0];
        assert_eq!(bt.args, ["12"]);
        assert_eq!(bt.size, Some(SizeClass::Smoke));
        assert_eq!(
            bt.expect.as_deref(),
            Some("checksum binary_trees 12 674478")
        );
        assert_eq!(m.workloads[1].args, ["25"]);
        assert_eq!(m.workloads[1].size, None);
        assert_eq!(m.workloads[1].expect, None);
        let mine = &m.workloads[2];
        assert_eq!(mine.name, "mine");
        assert_eq!(mine.script, PathBuf::from("/m/lua/mine.lua"));
        assert!(!mine.checksum);
    }

    #[test]
    fn selecting_and_resizing() {
        let text = "reference = \"lua5.4\"\n[[config]]\nluagc = \"all\"\n[[config]]\ninterpreter = \"lua5.4\"\n\
                    [[workload]]\nname = \"fib\"\n[[workload]]\nname = \"lru_cache\"\n\
                    [[workload]]\nscript = \"s.lua\"\nargs = [\"1\"]\n";
        let mut m = parse(text).unwrap();
        m.resize(SizeClass::Smoke);
        assert_eq!(m.workloads[0].args, ["20"]);
        assert_eq!(
            m.workloads[0].expect.as_deref(),
            Some("checksum fib 20 6765")
        );
        assert_eq!(m.workloads[2].args, ["1"]);
        m.resize(SizeClass::Large);
        assert_eq!(m.workloads[1].args, ["12000000"]);
        assert_eq!(m.workloads[1].expect, None);
        m.select(
            Some(&["s".to_owned(), "fib".to_owned()]),
            Some(&["stw".to_owned()]),
        )
        .unwrap();
        let names: Vec<&str> = m.workloads.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["fib", "s"]);
        assert_eq!(m.configs.len(), 1);
        assert_eq!(m.reference, None);
        let e = m.select(Some(&["nope".to_owned()]), None).unwrap_err();
        assert!(e.contains("no workload \"nope\""), "{e}");
    }

    #[test]
    fn defaults() {
        let m = parse("[[config]]\nluagc = \"stw\"\n[[workload]]\nname = \"fib\"\n").unwrap();
        assert_eq!(m.invocations, 5);
        assert_eq!(m.configs[0].name, "stw");
        assert_eq!(m.workloads[0].size, Some(SizeClass::Default));
        assert_eq!(m.workloads[0].args, ["30"]);
        assert_eq!(m.reference, None);
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err()
    }

    #[test]
    fn errors_name_the_bad_line() {
        let ok_workload = "[[workload]]\nname = \"fib\"\n";
        // TOML syntax.
        let e = error(&format!("[[config]]\nluagc = \"stw\n{ok_workload}"));
        assert!(e.starts_with("/m/x.toml:2: "), "{e}");
        // A misspelt key.
        let e = error(&format!(
            "[[config]]\nluagc = \"stw\"\n\nargz = []\n{ok_workload}"
        ));
        assert!(e.starts_with("/m/x.toml:4: ") && e.contains("argz"), "{e}");
        // A wrong type.
        let e = error(&format!(
            "invocations = \"five\"\n[[config]]\nluagc = \"stw\"\n{ok_workload}"
        ));
        assert!(e.starts_with("/m/x.toml:1: "), "{e}");
        // An unknown collector, on the third line.
        let e = error(&format!("\n\n[[config]]\nluagc = \"g1\"\n{ok_workload}"));
        assert!(
            e.starts_with("/m/x.toml:3: unknown collector \"g1\""),
            "{e}"
        );
        // An unknown workload.
        let e = error("[[config]]\nluagc = \"stw\"\n[[workload]]\nname = \"nope\"\n");
        assert!(
            e.starts_with("/m/x.toml:3: unknown workload \"nope\""),
            "{e}"
        );
        // A bad size class.
        let e =
            error("[[config]]\nluagc = \"stw\"\n[[workload]]\nname = \"fib\"\nsize = \"huge\"\n");
        assert!(e.starts_with("/m/x.toml:5: ") && e.contains("huge"), "{e}");
        // Both luagc and interpreter.
        let e = error(&format!(
            "[[config]]\nluagc = \"stw\"\ninterpreter = \"lua5.4\"\n{ok_workload}"
        ));
        assert!(
            e.starts_with("/m/x.toml:1: a [[config]] has exactly one"),
            "{e}"
        );
        // Duplicate names.
        let e = error(&format!(
            "[[config]]\nluagc = \"stw\"\n[[config]]\nluagc = \"all\"\n{ok_workload}"
        ));
        assert!(
            e.starts_with("/m/x.toml:3: configuration name \"stw\" is already used on line 1"),
            "{e}"
        );
        // "all" with a fixed name.
        let e = error(&format!(
            "[[config]]\nluagc = \"all\"\nname = \"x\"\n{ok_workload}"
        ));
        assert!(
            e.starts_with("/m/x.toml:1: ") && e.contains("{collector}"),
            "{e}"
        );
        // A reference that is no configuration.
        let e = error(&format!(
            "reference = \"lua9\"\n[[config]]\nluagc = \"stw\"\n{ok_workload}"
        ));
        assert!(e.starts_with("/m/x.toml:1: reference \"lua9\""), "{e}");
        // No invocations.
        let e = error(&format!(
            "invocations = 0\n[[config]]\nluagc = \"stw\"\n{ok_workload}"
        ));
        assert!(e.starts_with("/m/x.toml:1: invocations"), "{e}");
        // size and args together.
        let e = error("[[config]]\nluagc = \"stw\"\n[[workload]]\nname = \"fib\"\nsize = \"smoke\"\nargs = []\n");
        assert!(e.starts_with("/m/x.toml:3: give `size` or `args`"), "{e}");
        // A bad sweep.
        let e = error(&format!(
            "[[config]]\nluagc = \"stw\"\n{ok_workload}\n[sweep]\nheap_factors = [0.5]\n"
        ));
        assert!(e.starts_with("/m/x.toml:6: heap factor 0.5"), "{e}");
        let e = error(&format!(
            "[[config]]\nluagc = \"stw\"\n{ok_workload}\n[sweep]\nheap_factor = [2]\n"
        ));
        assert!(
            e.starts_with("/m/x.toml:") && e.contains("heap_factor"),
            "{e}"
        );
        // Nothing to run.
        assert!(error("[[config]]\nluagc = \"stw\"\n").contains("no [[workload]]"));
        assert!(error(ok_workload).contains("no [[config]]"));
    }

    #[test]
    fn the_shipped_matrices_parse() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("matrices");
        for file in [
            "paper-sweep.toml",
            "paper-large.toml",
            "interp.toml",
            "share.toml",
        ] {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            Matrix::parse(&text, &path, &gc_core::collectors::names()).unwrap();
        }
        // The complete ones: every collector gc_core has, and every workload.
        for file in ["quick.toml", "paper-suite.toml"] {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let m = Matrix::parse(&text, &path, &gc_core::collectors::names()).unwrap();
            for name in gc_core::collectors::names() {
                assert!(
                    m.configs.iter().any(|c| c.program
                        == Program::Luagc {
                            collector: (*name).into()
                        }),
                    "{file} lacks collector {name}"
                );
            }
            for w in workloads::WORKLOADS {
                assert!(
                    m.workloads.iter().any(|d| d.name == w.name),
                    "{file}: {}",
                    w.name
                );
            }
        }
        assert_eq!(QUICK, std::fs::read_to_string(quick_path()).unwrap());
    }
}
