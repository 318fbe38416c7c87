//! luagc's command line: lua.c's options (`-e`, `-l`, `-i`, `-v`, `--`, `-`), read by
//! lua.c's own rules (`collectargs`), and the collector's long options before the
//! script (`--gc NAME` or `--gc=NAME`). lua.c knows no long option, so the two sets
//! cannot clash.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use gc_core::collectors::registry;
use gc_core::GcMode;

/// An `-e` or `-l` option, run in command-line order before the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `-e CHUNK`.
    Exec(String),
    /// `-l NAME`: `require(NAME)`.
    Require(String),
}

/// Where the script comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Script {
    File(OsString),
    /// `-`: standard input.
    Stdin,
}

/// What the command line asks for.
#[derive(Debug, Clone)]
pub struct Options {
    pub gc: String,
    pub gc_mode: Option<GcMode>,
    pub stats: bool,
    pub stats_json: Option<PathBuf>,
    pub heap_limit: Option<usize>,
    pub gc_threads: Option<usize>,
    pub pause_cpu_time: bool,
    /// `--gc-step-deadline`: `Some(None)` is `off`.
    pub gc_step_deadline: Option<Option<Duration>>,
    /// `--gc-max-share`: percent of the thread's CPU time, 1 to 99.
    pub gc_max_share: Option<u32>,
    pub gc_stress: u32,
    pub actions: Vec<Action>,
    /// `-i`.
    pub interactive: bool,
    /// `-v` (also implied by `-i`, as in lua.c).
    pub version: bool,
    pub script: Option<Script>,
    /// The whole command line; the script is at `script_index`.
    pub argv: Vec<OsString>,
    pub script_index: usize,
}

/// Why the command line was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum BadCommandLine {
    /// lua.c's case: an unknown option or a missing argument; the usage message.
    Usage,
    /// A collector option with a bad value: the message, then the usage message.
    Invalid(String),
    /// `--help`: the usage message on standard output, success.
    Help,
}

/// The usage message: lua.c's, then the collector options.
pub fn usage(progname: &str) -> String {
    let mut text = format!(
        "usage: {progname} [options] [script [args]].
Available options are:
  -e stat  execute string 'stat'
  -l name  require library 'name'
  -i       enter interactive mode after executing 'script'
  -v       show version information
  --       stop handling options
  -        execute stdin and stop handling options
Collector options (before the script; --NAME VALUE or --NAME=VALUE):
  --gc NAME               the collector (default {default}):",
        default = registry()[0].name
    );
    for info in registry() {
        text.push_str(&format!(
            "\n                            {:8} {}",
            info.name, info.description
        ));
    }
    text.push_str(
        "
  --gc-mode MODE          force incremental or generational (collectors with both)
  --gc-threads N          threads that mark and sweep big heaps (default: the cores)
  --gc-step-deadline MS   how long a newgc step marks at most (default 0.5), or off:
                          the same run then gives the same cycles and heap sizes
  --gc-max-share PERCENT  the most of the program's CPU time newgc's steps take over
                          any stretch of it (default: 20% past a cycle's goal
                          only; needs a deadline)
  --gc-stress N           collect and verify the heap before every N-th allocation
  --heap-limit SIZE       bytes, or 512M, 2G: running past it is \"not enough memory\"
  --pause-cpu-time        also time each pause in thread CPU time
  --stats                 print the collector's statistics to stderr at exit
  --stats-json FILE       write them as one JSON object to FILE
  --help                  this message",
    );
    text
}

fn parse_mode(text: &str) -> Result<GcMode, String> {
    match text {
        "incremental" => Ok(GcMode::Incremental),
        "generational" => Ok(GcMode::Generational),
        _ => Err(format!(
            "'{text}' is not a mode (incremental, generational)"
        )),
    }
}

fn parse_deadline(text: &str) -> Result<Option<Duration>, String> {
    if text == "off" {
        return Ok(None);
    }
    let bad = || format!("'{text}' is not a deadline (milliseconds above 0, or off)");
    let ms: f64 = text.trim().parse().map_err(|_| bad())?;
    if !(ms.is_finite() && ms > 0.0) {
        return Err(bad());
    }
    Duration::try_from_secs_f64(ms / 1000.0)
        .map(Some)
        .map_err(|_| bad())
}

fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let t = t.strip_suffix(['B', 'b']).unwrap_or(t);
    let (digits, shift) = match t.chars().last() {
        Some('K' | 'k') => (&t[..t.len() - 1], 10),
        Some('M' | 'm') => (&t[..t.len() - 1], 20),
        Some('G' | 'g') => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("invalid size '{text}' (use bytes, or 512M, 2G)"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("size '{text}' is too large"))
}

fn parse_share(text: &str) -> Result<u32, String> {
    match text.trim().parse() {
        Ok(percent @ 1..=99) => Ok(percent),
        _ => Err(format!("'{text}' is not a share (percent, 1 to 99)")),
    }
}

fn parse_count(text: &str) -> Result<usize, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a count"))
}

impl Options {
    fn new(argv: Vec<OsString>) -> Options {
        Options {
            gc: registry()[0].name.to_owned(),
            gc_mode: None,
            stats: false,
            stats_json: None,
            heap_limit: None,
            gc_threads: None,
            pause_cpu_time: false,
            gc_step_deadline: None,
            gc_max_share: None,
            gc_stress: 0,
            actions: Vec::new(),
            interactive: false,
            version: false,
            script: None,
            script_index: argv.len(),
            argv,
        }
    }

    /// Reads `argv` (the program name first) as lua.c's `collectargs` does, taking the
    /// collector options on the way.
    pub fn parse(argv: Vec<OsString>) -> Result<Options, BadCommandLine> {
        let mut options = Options::new(argv);
        let args: Vec<String> = options
            .argv
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let mut i = 1;
        while i < args.len() {
            let arg = &args[i];
            let bytes = arg.as_bytes();
            if bytes.first() != Some(&b'-') {
                options.script = Some(Script::File(options.argv[i].clone()));
                options.script_index = i;
                return Ok(options);
            }
            match bytes.get(1) {
                None => {
                    options.script = Some(Script::Stdin);
                    options.script_index = i;
                    return Ok(options);
                }
                Some(b'-') if bytes.len() == 2 => {
                    if i + 1 < args.len() {
                        options.script = Some(Script::File(options.argv[i + 1].clone()));
                        options.script_index = i + 1;
                    }
                    return Ok(options);
                }
                Some(b'-') => i = options.long_option(&args, i)?,
                Some(b'i') | Some(b'v') if bytes.len() > 2 => return Err(BadCommandLine::Usage),
                Some(b'i') => {
                    options.interactive = true;
                    options.version = true;
                }
                Some(b'v') => options.version = true,
                Some(&letter @ (b'e' | b'l')) => {
                    let value = if bytes.len() > 2 {
                        arg[2..].to_owned()
                    } else {
                        i += 1;
                        args.get(i).ok_or(BadCommandLine::Usage)?.clone()
                    };
                    options.actions.push(if letter == b'e' {
                        Action::Exec(value)
                    } else {
                        Action::Require(value)
                    });
                }
                Some(_) => return Err(BadCommandLine::Usage),
            }
            i += 1;
        }
        Ok(options)
    }

    /// Takes the collector option at `args[i]`; returns the index of its last word.
    fn long_option(&mut self, args: &[String], mut i: usize) -> Result<usize, BadCommandLine> {
        let (name, inline_value) = match args[i].split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (args[i].clone(), None),
        };
        let invalid = |msg: String| BadCommandLine::Invalid(format!("{name}: {msg}"));
        let flag = |value: &Option<String>| match value {
            Some(_) => Err(invalid("takes no value".to_owned())),
            None => Ok(true),
        };
        match name.as_str() {
            "--help" => return Err(BadCommandLine::Help),
            "--stats" => self.stats = flag(&inline_value)?,
            "--pause-cpu-time" => self.pause_cpu_time = flag(&inline_value)?,
            "--gc" | "--gc-mode" | "--stats-json" | "--heap-limit" | "--gc-threads"
            | "--gc-step-deadline" | "--gc-max-share" | "--gc-stress" => {
                let value = match inline_value {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i)
                            .cloned()
                            .ok_or_else(|| invalid("needs a value".to_owned()))?
                    }
                };
                match name.as_str() {
                    "--gc" => self.gc = value,
                    "--gc-mode" => self.gc_mode = Some(parse_mode(&value).map_err(invalid)?),
                    "--stats-json" => self.stats_json = Some(PathBuf::from(value)),
                    "--heap-limit" => self.heap_limit = Some(parse_size(&value).map_err(invalid)?),
                    "--gc-threads" => {
                        let n = parse_count(&value).map_err(invalid)?;
                        if n == 0 {
                            return Err(invalid("needs at least 1 thread".to_owned()));
                        }
                        self.gc_threads = Some(n);
                    }
                    "--gc-step-deadline" => {
                        self.gc_step_deadline = Some(parse_deadline(&value).map_err(invalid)?)
                    }
                    "--gc-max-share" => {
                        self.gc_max_share = Some(parse_share(&value).map_err(invalid)?)
                    }
                    _ => self.gc_stress = parse_count(&value).map_err(invalid)? as u32,
                }
            }
            _ => return Err(BadCommandLine::Usage),
        }
        Ok(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(words: &[&str]) -> Result<Options, BadCommandLine> {
        let argv = std::iter::once("luagc")
            .chain(words.iter().copied())
            .map(OsString::from)
            .collect();
        Options::parse(argv)
    }

    #[test]
    fn lua_options_follow_collectargs() {
        let o = parse(&["-e", "x=1", "-lmod", "-v", "s.lua", "-e", "y"]).unwrap();
        assert_eq!(
            o.actions,
            vec![Action::Exec("x=1".into()), Action::Require("mod".into())]
        );
        assert!(o.version && !o.interactive);
        assert_eq!(o.script, Some(Script::File("s.lua".into())));
        assert_eq!(o.script_index, 5);
        let o = parse(&["-i"]).unwrap();
        assert!(o.interactive && o.version && o.script.is_none());
        assert_eq!(parse(&["-", "a"]).unwrap().script, Some(Script::Stdin));
        let o = parse(&["--", "-"]).unwrap();
        assert_eq!(o.script, Some(Script::File("-".into())));
        assert_eq!(parse(&["--"]).unwrap().script, None);
    }

    #[test]
    fn bad_lua_options_give_the_usage() {
        for words in [
            &["-z"][..],
            &["-e"],
            &["-l"],
            &["-iv"],
            &["-vx"],
            &["--x"],
            &["---"],
        ] {
            assert_eq!(
                parse(words).unwrap_err(),
                BadCommandLine::Usage,
                "{words:?}"
            );
        }
    }

    #[test]
    fn collector_options_take_values_both_ways() {
        let o = parse(&[
            "--gc",
            "stw",
            "--gc-threads=3",
            "--stats",
            "--gc-step-deadline",
            "off",
            "s.lua",
        ])
        .unwrap();
        assert_eq!(o.gc, "stw");
        assert_eq!(o.gc_threads, Some(3));
        assert!(o.stats);
        assert_eq!(o.gc_step_deadline, Some(None));
        assert_eq!(o.script_index, 7);
        assert_eq!(
            parse(&["--gc-max-share=20"]).unwrap().gc_max_share,
            Some(20)
        );
        for bad in ["0", "100", "x"] {
            assert!(matches!(
                parse(&["--gc-max-share", bad]),
                Err(BadCommandLine::Invalid(_))
            ));
        }
        assert_eq!(
            parse(&["--heap-limit", "2M"]).unwrap().heap_limit,
            Some(2 << 20)
        );
        assert!(matches!(
            parse(&["--gc-threads", "x"]),
            Err(BadCommandLine::Invalid(_))
        ));
        assert!(matches!(parse(&["--gc"]), Err(BadCommandLine::Invalid(_))));
        assert!(matches!(
            parse(&["--stats=1"]),
            Err(BadCommandLine::Invalid(_))
        ));
        assert_eq!(parse(&["--help"]).unwrap_err(), BadCommandLine::Help);
    }
}
