//! `luagc`: the standalone Lua 5.1 interpreter over gc-core's collectors, a drop-in
//! `lua5.1` (`luagc --help` lists the collector options). The program is
//! [`vm_harness::standalone`]; this is its process: signals and the exit status.

fn main() {
    // Rust starts with SIGPIPE ignored; a Lua program writing into a closed pipe must
    // die of it, as lua5.1 (a C program) does.
    // SAFETY: setting a signal's disposition to the default at start-up, before any
    // other thread exists.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    std::process::exit(vm_harness::standalone::main(std::env::args_os().collect()));
}
