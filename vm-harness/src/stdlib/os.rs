//! The parts of the os library a benchmark harness needs: clock, time (current time, or
//! a date table), date (C-locale `strftime` subset and `*t`), difftime, getenv, exit.
//! Without a time-zone database, local time is UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use gc_core::Collector;

use crate::model::LuaModel;
use crate::value::Value;
use crate::vm::{Args, LuaResult, Vm};

/// Registers the `os` table.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    vm.register_lib(
        "os",
        &[
            ("clock", clock),
            ("time", time),
            ("date", date),
            ("difftime", difftime),
            ("getenv", getenv),
            ("exit", exit),
        ],
    )?;
    Ok(())
}

fn clock<C: Collector<LuaModel>>(vm: &mut Vm<C>, _args: Args) -> LuaResult<usize> {
    let secs = vm.started.elapsed().as_secs_f64();
    vm.ret1(Value::Number(secs))
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn time<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    if vm.arg(args, 0).is_nil() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        return vm.ret1(Value::Number(now as f64));
    }
    let t = vm.check_table(args, 1)?;
    let field = |vm: &mut Vm<C>, name: &str, default: Option<i64>| -> LuaResult<i64> {
        match vm.get_field(t, name)? {
            Value::Number(n) => Ok(n as i64),
            _ => match default {
                Some(d) => Ok(d),
                None => Err(vm.native_error(&format!("field '{name}' missing in date table"))),
            },
        }
    };
    let sec = field(vm, "sec", Some(0))?;
    let min = field(vm, "min", Some(0))?;
    let hour = field(vm, "hour", Some(12))?;
    let day = field(vm, "day", None)?;
    let month = field(vm, "month", None)?;
    let year = field(vm, "year", None)?;
    let y = year + (month - 1).div_euclid(12);
    let m = (month - 1).rem_euclid(12) + 1;
    let days = days_from_civil(y, m, 1) + day - 1;
    let secs = days * 86_400 + hour * 3600 + min * 60 + sec;
    vm.ret1(Value::Number(secs as f64))
}

fn getenv<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    match std::env::var_os(name.to_str_lossy()) {
        Some(v) => {
            let s = vm.str_value(v.to_string_lossy().as_bytes())?;
            vm.ret1(s)
        }
        None => vm.ret1(Value::Nil),
    }
}

fn exit<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let code = match vm.arg(args, 0) {
        Value::Boolean(b) => i32::from(!b),
        Value::Nil => 0,
        _ => vm.check_int(args, 1)? as i32,
    };
    vm.flush();
    std::process::exit(code)
}

/// The civil date of a day count since 1970-01-01: (year, month, day).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A broken-down UTC time, as C's `struct tm` holds it.
struct Tm {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    wday: i64,
    yday: i64,
}

fn broken_down(t: i64) -> Tm {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Tm {
        year,
        month,
        day,
        hour: secs / 3600,
        min: secs % 3600 / 60,
        sec: secs % 60,
        wday: (days + 4).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1),
    }
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// C-locale `strftime` for the common conversions.
fn strftime(fmt: &[u8], tm: &Tm, out: &mut String) {
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' || i + 1 == fmt.len() {
            out.push(fmt[i] as char);
            i += 1;
            continue;
        }
        let c = fmt[i + 1];
        i += 2;
        let day = DAYS[tm.wday as usize];
        let month = MONTHS[(tm.month - 1) as usize];
        match c {
            b'a' => out.push_str(&day[..3]),
            b'A' => out.push_str(day),
            b'b' | b'h' => out.push_str(&month[..3]),
            b'B' => out.push_str(month),
            b'c' => {
                let mut sub = String::new();
                strftime(b"%a %b %e %H:%M:%S %Y", tm, &mut sub);
                out.push_str(&sub);
            }
            b'd' => out.push_str(&format!("{:02}", tm.day)),
            b'e' => out.push_str(&format!("{:2}", tm.day)),
            b'H' => out.push_str(&format!("{:02}", tm.hour)),
            b'I' => out.push_str(&format!("{:02}", (tm.hour + 11) % 12 + 1)),
            b'j' => out.push_str(&format!("{:03}", tm.yday + 1)),
            b'm' => out.push_str(&format!("{:02}", tm.month)),
            b'M' => out.push_str(&format!("{:02}", tm.min)),
            b'p' => out.push_str(if tm.hour < 12 { "AM" } else { "PM" }),
            b'S' => out.push_str(&format!("{:02}", tm.sec)),
            b'w' => out.push_str(&tm.wday.to_string()),
            b'x' => out.push_str(&format!(
                "{:02}/{:02}/{:02}",
                tm.month,
                tm.day,
                tm.year.rem_euclid(100)
            )),
            b'X' => out.push_str(&format!("{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec)),
            b'y' => out.push_str(&format!("{:02}", tm.year.rem_euclid(100))),
            b'Y' => out.push_str(&tm.year.to_string()),
            b'Z' => out.push_str("UTC"),
            b'%' => out.push('%'),
            other => {
                out.push('%');
                out.push(other as char);
            }
        }
    }
}

fn date<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let fmt = match vm.opt_str(args, 1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if vm.arg(args, 1).is_nil() {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    } else {
        vm.check_number(args, 2)? as i64
    };
    let fmt = fmt.strip_prefix(b"!").unwrap_or(&fmt);
    let tm = broken_down(t);
    if fmt.starts_with(b"*t") {
        let table = vm.new_table(0, 9)?;
        vm.push(Value::Table(table))?;
        for (name, v) in [
            ("year", tm.year),
            ("month", tm.month),
            ("day", tm.day),
            ("hour", tm.hour),
            ("min", tm.min),
            ("sec", tm.sec),
            ("wday", tm.wday + 1),
            ("yday", tm.yday + 1),
        ] {
            vm.set_field(table, name, Value::Number(v as f64))?;
        }
        vm.set_field(table, "isdst", Value::Boolean(false))?;
        return Ok(1);
    }
    let mut out = String::new();
    strftime(fmt, &tm, &mut out);
    let s = vm.str_value(out.as_bytes())?;
    vm.ret1(s)
}

fn difftime<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let t1 = vm.check_number(args, 1)?;
    let t0 = vm.opt_number(args, 2, 0.0)?;
    vm.ret1(Value::Number(t1 - t0))
}
