//! One measured run: the child is spawned, its output captured, and it is reaped with
//! `wait4`, which returns its own resource usage (CPU times) without the noise of a
//! wrapper process. Wall time is taken by gcbench around the child, the same way for
//! every configuration; `luagc`'s own statistics come from its `--stats-json` file.
//!
//! Peak RSS is not `wait4`'s `ru_maxrss`: Linux carries the high-water mark of the
//! address space a process had before `execve` into it, and a child's starts as a copy of
//! gcbench's, so `ru_maxrss` is never below gcbench's own RSS (tens of megabytes once
//! the results have grown), more than a small interpreter uses. The child is traced
//! instead (`PTRACE_TRACEME`, stopping only at its `execve` and its exit) and its
//! `VmHWM`, the high-water mark of the program's own address space, read from
//! `/proc/PID/status` at the exit stop, while that address space still exists.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::configs::{Config, Kind};
use super::environment::steal_ms_now;
use super::matrix::WorkloadDef;
use super::sweep::Point;

/// The raw record of one run, as written to the results file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Workload name.
    pub workload: String,
    /// Configuration name.
    pub config: String,
    /// Round (0-based); within a round every configuration runs once.
    pub round: usize,
    /// Position within the round (0-based): the order rotates every round.
    pub position: usize,
    /// The script's arguments.
    pub args: Vec<String>,
    /// Wall time measured around the child.
    pub wall_ms: f64,
    /// User CPU time of the child (all its threads).
    pub user_ms: f64,
    /// System CPU time of the child.
    pub sys_ms: f64,
    /// Peak resident set size of the child's program (`VmHWM` at its exit; see the module
    /// documentation), or, where the child could not be traced, `wait4`'s `ru_maxrss`,
    /// which is at least gcbench's own RSS.
    pub max_rss_kb: u64,
    /// Steal time /proc/stat counted over the whole machine during the run (10 ms
    /// ticks, summed over CPUs), when the kernel reports it.
    pub steal_ms: Option<f64>,
    /// Exit code, when it exited.
    pub exit_code: Option<i32>,
    /// Signal, when one killed it.
    pub signal: Option<i32>,
    /// Exited with status 0, printed a checksum line if the workload has one, and (for
    /// luagc) wrote its statistics.
    pub ok: bool,
    /// The last non-empty stdout line, for a workload with a checksum.
    pub checksum: Option<String>,
    /// The end of stderr, kept for failed runs only.
    pub stderr_tail: Option<String>,
    /// `luagc --stats-json` output, passed through whole (new fields included).
    pub stats: Option<Value>,
    /// Where on the space sweep the run was made (`None`: a run of the matrix proper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<Point>,
}

impl RunRecord {
    /// The record of a run that could not even start (or be waited for).
    pub fn not_started(
        workload: &str,
        config: &str,
        round: usize,
        position: usize,
        args: &[String],
        why: String,
    ) -> Self {
        RunRecord {
            workload: workload.to_owned(),
            config: config.to_owned(),
            round,
            position,
            args: args.to_vec(),
            wall_ms: 0.0,
            user_ms: 0.0,
            sys_ms: 0.0,
            max_rss_kb: 0,
            steal_ms: None,
            exit_code: None,
            signal: None,
            ok: false,
            checksum: None,
            stderr_tail: Some(format!("gcbench: {why}")),
            stats: None,
            point: None,
        }
    }

    /// A number from the stats JSON by path (`["pause_ms", "p99"]`).
    pub fn stat(&self, path: &[&str]) -> Option<f64> {
        let mut v = self.stats.as_ref()?;
        for key in path {
            v = v.get(key)?;
        }
        v.as_f64()
    }

    /// Peak RSS of the run's program in kilobytes: luagc's own `VmHWM` reading where its
    /// statistics have one, else `max_rss_kb`. The two agree; luagc's keeps results
    /// measured before gcbench traced its children exact for luagc's configurations
    /// (their `max_rss_kb` is `ru_maxrss`, floored at gcbench's RSS).
    pub fn peak_rss_kb(&self) -> f64 {
        self.stat(&["footprint_at_peak", "max_rss_bytes"])
            .map_or(self.max_rss_kb as f64, |b| b / 1024.0)
    }

    /// GC time as luagc measured it.
    pub fn gc_ms(&self) -> Option<f64> {
        self.stat(&["gc_ms"])
    }

    /// GC time in CPU time (the collector's pauses and its worker threads), in runs with
    /// `--pause-cpu-time`.
    pub fn gc_cpu_ms(&self) -> Option<f64> {
        self.stat(&["gc_cpu_ms"])
    }

    /// How the run ended, for a failure's message: `exit status 1`, `killed by signal 9`.
    pub fn status(&self) -> String {
        match (self.exit_code, self.signal) {
            (Some(c), _) => format!("exit status {c}"),
            (_, Some(s)) => format!("killed by signal {s}"),
            _ => "did not run".to_owned(),
        }
    }

    /// CPU time: user + system, all threads.
    pub fn cpu_ms(&self) -> f64 {
        self.user_ms + self.sys_ms
    }
}

/// Waits for the next stop or the end of `pid`, returning its wait status and (at the
/// end) its resource usage.
fn wait4(pid: libc::pid_t) -> std::io::Result<(libc::c_int, libc::rusage)> {
    let mut status: libc::c_int = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    loop {
        // SAFETY: `status` and `usage` are valid for writes for the whole call, and `pid`
        // is our own child that nothing else waits for (std's `Child::wait` is not used).
        let r = unsafe { libc::wait4(pid, &mut status, libc::__WALL, usage.as_mut_ptr()) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    // SAFETY: zero is a valid `rusage`, and wait4 succeeded, so the kernel filled it in.
    Ok((status, unsafe { usage.assume_init() }))
}

/// Makes the child `cmd` spawns stop for gcbench at its `execve` ([`wait_traced`] then
/// asks for a stop at its exit too). Where tracing is not allowed (a seccomp policy,
/// Yama's `ptrace_scope` 3), the child runs untraced and [`wait_traced`] reports no peak.
fn trace_child(cmd: &mut Command) {
    // SAFETY: the closure runs in the forked child before `execve` and only makes one
    // system call, which is async-signal-safe; it allocates nothing and takes no lock.
    unsafe {
        cmd.pre_exec(|| {
            libc::ptrace(
                libc::PTRACE_TRACEME,
                0,
                std::ptr::null_mut::<libc::c_void>(),
                0,
            );
            Ok(())
        });
    }
}

/// `VmHWM` of `pid`, in kilobytes.
fn vm_hwm_kb(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Reaps `pid`, a child spawned after [`trace_child`]: its wait status, resource usage and,
/// if it was traced, the peak RSS of its program read at its exit stop. Signals it
/// receives are passed on unchanged.
fn wait_traced(pid: libc::pid_t) -> std::io::Result<(libc::c_int, libc::rusage, Option<u64>)> {
    let mut peak_kb = None;
    let mut execed = false;
    loop {
        let (status, usage) = wait4(pid)?;
        if !libc::WIFSTOPPED(status) {
            return Ok((status, usage, peak_kb));
        }
        let signal = libc::WSTOPSIG(status);
        let mut deliver = 0;
        if status >> 16 == libc::PTRACE_EVENT_EXIT {
            peak_kb = vm_hwm_kb(pid);
        } else if signal == libc::SIGTRAP && !execed {
            // The stop after `execve`: from here on, stop only at the exit.
            execed = true;
            let options = libc::PTRACE_O_TRACEEXIT | libc::PTRACE_O_EXITKILL;
            ptrace_stopped(libc::PTRACE_SETOPTIONS, pid, options);
        } else {
            deliver = signal;
        }
        // `deliver` is the signal the stop intercepted, or none.
        ptrace_stopped(libc::PTRACE_CONT, pid, deliver);
    }
}

/// `ptrace(request, pid, 0, data)` on `pid`, our tracee, while it is stopped; for requests
/// whose address argument is unused and whose data is a number, not a pointer.
fn ptrace_stopped(request: libc::c_uint, pid: libc::pid_t, data: libc::c_int) {
    // SAFETY: the request reads and writes no memory of ours (no pointer is passed), and
    // `pid` is a stopped tracee of this process, so it acts on that process alone.
    unsafe { libc::ptrace(request, pid, std::ptr::null_mut::<libc::c_void>(), data) };
}

/// Reads a pipe to the end on its own thread, so a chatty child never blocks on a full
/// pipe while we wait for it.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// The last `max` bytes of `text`, on a character boundary.
fn tail(text: &str, max: usize) -> String {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    text[start..].trim().to_owned()
}

/// Runs `config` on `workload` once, as invocation `position` of `round`. `stats_dir`
/// holds luagc's stats file for the run. A run that cannot start is an error; one that
/// fails is a record with `ok: false`. (The caller records the error with
/// [`RunRecord::not_started`].)
pub fn run_once(
    config: &Config,
    workload: &WorkloadDef,
    round: usize,
    position: usize,
    stats_dir: &Path,
) -> Result<RunRecord, String> {
    let mut cmd = Command::new(&config.program);
    cmd.args(&config.prelude);
    let stats_file = stats_dir.join(format!(
        "{}-{}-{round}.json",
        workload.name.replace('/', "_"),
        config.name.replace('/', "_")
    ));
    match config.kind {
        Kind::Luagc => {
            let _ = std::fs::remove_file(&stats_file);
            cmd.arg("--stats-json").arg(&stats_file);
        }
        Kind::Interpreter => {
            // A user's LUA_INIT would run before the script in one interpreter only.
            for var in ["LUA_INIT", "LUA_INIT_5_2", "LUA_INIT_5_3", "LUA_INIT_5_4"] {
                cmd.env_remove(var);
            }
        }
    }
    cmd.arg(&workload.script)
        .args(&workload.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    trace_child(&mut cmd);
    let steal_before = steal_ms_now();
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", config.program.display()))?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let pid = libc::pid_t::try_from(child.id()).map_err(|_| "child pid out of range")?;
    let (status, usage, peak_kb) =
        wait_traced(pid).map_err(|e| format!("wait4 on {}: {e}", config.name))?;
    let wall = started.elapsed();
    let steal_ms = steal_before
        .zip(steal_ms_now())
        .map(|(before, after)| (after - before).max(0.0));
    let stdout = String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();

    let exit_code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let signal = libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status));
    let checksum = workload
        .checksum
        .then(|| workloads::checksum_line(&stdout).map(str::to_owned))
        .flatten();
    let mut stats = None;
    let mut problems = Vec::new();
    if config.kind == Kind::Luagc {
        match std::fs::read_to_string(&stats_file) {
            Ok(text) => match serde_json::from_str::<Value>(&text) {
                Ok(v) => stats = Some(v),
                Err(e) => problems.push(format!("stats JSON unreadable: {e}")),
            },
            Err(e) => problems.push(format!("no stats JSON ({e})")),
        }
        let _ = std::fs::remove_file(&stats_file);
    }
    if exit_code == Some(0) && workload.checksum && checksum.is_none() {
        problems.push("no checksum line on stdout".to_owned());
    }
    let ok = exit_code == Some(0) && problems.is_empty();
    let stderr_tail = (!ok).then(|| {
        let mut t = tail(&stderr, 2000);
        for p in problems {
            t.push_str(&format!("\ngcbench: {p}"));
        }
        t
    });
    let ms = |tv: libc::timeval| tv.tv_sec as f64 * 1e3 + tv.tv_usec as f64 / 1e3;
    Ok(RunRecord {
        workload: workload.name.clone(),
        config: config.name.clone(),
        round,
        position,
        args: workload.args.clone(),
        wall_ms: wall.as_secs_f64() * 1e3,
        user_ms: ms(usage.ru_utime),
        sys_ms: ms(usage.ru_stime),
        // Linux reports ru_maxrss in kilobytes.
        max_rss_kb: peak_kb.unwrap_or(u64::try_from(usage.ru_maxrss).unwrap_or(0)),
        steal_ms,
        exit_code,
        signal,
        ok,
        checksum,
        stderr_tail,
        stats,
        point: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A child's peak RSS is its program's, not the copy of gcbench's address space it
    /// started as: with 256 MB touched here, a shell that does nothing still reports a
    /// few megabytes, and `ru_maxrss` (the untraced reading) does not.
    #[test]
    fn peak_rss_is_the_program_s_own_not_the_parent_s() {
        let ballast = vec![1u8; 256 << 20];
        let touched: u64 = ballast.iter().step_by(4096).map(|&b| u64::from(b)).sum();
        assert_eq!(touched, (256 << 20) / 4096);

        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", ":"]);
        trace_child(&mut cmd);
        // Reaped by `wait_traced`.
        let pid = cmd.spawn().expect("spawn /bin/sh").id() as libc::pid_t;
        let (status, usage, peak_kb) = wait_traced(pid).expect("wait");
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
        let peak_kb = peak_kb.expect("the child was traced");
        assert!(0 < peak_kb && peak_kb < 32 << 10, "{peak_kb} kB");
        assert!(usage.ru_maxrss as u64 > 200 << 10, "{} kB", usage.ru_maxrss);
        drop(ballast);
    }

    /// A signal the traced child receives reaches it: killed by SIGTERM, it is reported
    /// as killed by SIGTERM.
    #[test]
    fn a_traced_child_still_gets_its_signals() {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "kill -TERM $$; sleep 5"]);
        trace_child(&mut cmd);
        let pid = cmd.spawn().expect("spawn /bin/sh").id() as libc::pid_t;
        let (status, _, _) = wait_traced(pid).expect("wait");
        assert!(libc::WIFSIGNALED(status), "status {status:#x}");
        assert_eq!(libc::WTERMSIG(status), libc::SIGTERM);
    }
}
