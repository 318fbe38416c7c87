//! The text algorithms of Lua 5.1's standard library, as pure functions over byte
//! slices with no dependency on the VM: the VM's `string`/base-library glue converts its
//! values, calls these, and turns the results (and error messages) back into Lua values.
//!
//! - [`pattern`]: `lstrlib.c`'s pattern matcher (`string.find`/`match`/`gmatch`/`gsub`).
//! - [`format`](mod@format): `string.format`, including C `printf` number formatting.
//! - [`number`]: `tostring`/`tonumber` number conversions.
//!
//! Every behaviour and message was checked against Debian's `lua5.1` (5.1.5, glibc, C
//! locale); the tests keep the Lua expression that produced each expected value.

pub mod format;
pub mod number;
pub mod pattern;

/// What the C library sees of a Lua string passed as a C string: the bytes before the
/// first NUL (5.1's patterns, `strtod`/`strtoul` and `sprintf("%s")` all stop there).
fn c_string(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(nul) => &bytes[..nul],
        None => bytes,
    }
}
