//! The standard libraries, one file each, and the argument helpers they share (5.1's
//! `luaL_check*` family, with its error messages).
//!
//! Invariant: library functions keep every value they still need on the stack (their
//! arguments are there already); a value converted from an argument (a number turned
//! into a string) is written back into the argument's slot so it stays rooted.

pub mod base;
pub mod bit;
pub mod coroutine;
pub mod debug;
pub mod io;
pub mod math;
pub mod os;
pub mod package;
pub mod string;
pub mod table;

use gc_core::Collector;

use crate::model::LuaModel;
use crate::object::string::LuaStr;
use crate::object::table::TableRef;

use crate::value::Value;
use crate::vm::{Args, LuaResult, NativeFn, Vm};

/// Opens every library into the globals (and `package.loaded`).
pub fn open_all<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    base::open(vm)?;
    package::open(vm)?;
    string::open(vm)?;
    table::open(vm)?;
    math::open(vm)?;
    os::open(vm)?;
    io::open(vm)?;
    coroutine::open(vm)?;
    bit::open(vm)?;
    debug::open(vm)?;
    Ok(())
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// Creates a library table with the given functions, stores it as global `name`
    /// and in `package.loaded[name]`, and returns it.
    pub fn register_lib(
        &mut self,
        name: &str,
        funcs: &[(&str, NativeFn<C>)],
    ) -> LuaResult<TableRef> {
        let t = self.new_table(0, funcs.len())?;
        self.roots.temps.push(Value::Table(t));
        let result = (|| {
            for &(fname, f) in funcs {
                let closure = self.new_native(f, &[])?;
                self.set_field(t, fname, closure)?;
            }
            let globals = self.roots.globals;
            self.set_field(globals, name, Value::Table(t))?;
            self.mark_loaded(name, Value::Table(t))
        })();
        self.roots.temps.pop();
        result.map(|()| t)
    }

    /// Records `package.loaded[name] = value`.
    pub fn mark_loaded(&mut self, name: &str, value: Value) -> LuaResult<()> {
        let loaded = self.loaded_table()?;
        self.set_field(loaded, name, value)
    }

    /// The `_LOADED` table of the registry (`package.loaded`), created on first use.
    pub fn loaded_table(&mut self) -> LuaResult<TableRef> {
        let registry = self.roots.registry;
        match self.get_field(registry, "_LOADED")? {
            Value::Table(t) => Ok(t),
            _ => {
                let t = self.new_table(0, 16)?;
                self.set_field(registry, "_LOADED", Value::Table(t))?;
                Ok(t)
            }
        }
    }

    /// Argument `i` (1-based) must be present (`luaL_checkany`).
    pub fn check_any(&mut self, args: Args, i: usize) -> LuaResult<Value> {
        if i > args.n {
            return Err(self.arg_error(i, "value expected"));
        }
        Ok(self.arg(args, i - 1))
    }

    /// Argument `i` (1-based) must be a table.
    pub fn check_table(&mut self, args: Args, i: usize) -> LuaResult<TableRef> {
        match self.arg(args, i - 1) {
            Value::Table(t) => Ok(t),
            _ => Err(self.arg_type_error(args, i, "table")),
        }
    }

    /// Argument `i` (1-based) as a number, strings coerced (`luaL_checknumber`).
    pub fn check_number(&mut self, args: Args, i: usize) -> LuaResult<f64> {
        match self.to_number(self.arg(args, i - 1)) {
            Some(n) => Ok(n),
            None => Err(self.arg_type_error(args, i, "number")),
        }
    }

    /// Optional number argument.
    pub fn opt_number(&mut self, args: Args, i: usize, default: f64) -> LuaResult<f64> {
        if self.arg(args, i - 1).is_nil() {
            Ok(default)
        } else {
            self.check_number(args, i)
        }
    }

    /// Argument `i` as a C `int` (`luaL_checkint`), converted as 5.1 does on x86-64
    /// (`convert::c_int_of_integer`).
    pub fn check_int(&mut self, args: Args, i: usize) -> LuaResult<i64> {
        self.check_number(args, i)
            .map(|n| i64::from(crate::convert::c_int_of_integer(n)))
    }

    /// Optional C `int` argument (`luaL_optint`).
    pub fn opt_int(&mut self, args: Args, i: usize, default: i64) -> LuaResult<i64> {
        if self.arg(args, i - 1).is_nil() {
            Ok(default)
        } else {
            self.check_int(args, i)
        }
    }

    /// Argument `i` as a `lua_Integer` (`luaL_checkinteger`), converted as 5.1 does on
    /// x86-64 (`convert::c_long`).
    pub fn check_integer(&mut self, args: Args, i: usize) -> LuaResult<i64> {
        self.check_number(args, i).map(crate::convert::c_long)
    }

    /// Optional `lua_Integer` argument (`luaL_optinteger`).
    pub fn opt_integer(&mut self, args: Args, i: usize, default: i64) -> LuaResult<i64> {
        if self.arg(args, i - 1).is_nil() {
            Ok(default)
        } else {
            self.check_integer(args, i)
        }
    }

    /// Argument `i` as a string; numbers are converted, and the string is written back
    /// into the argument slot (`luaL_checklstring`).
    pub fn check_str(&mut self, args: Args, i: usize) -> LuaResult<LuaStr> {
        match self.arg(args, i - 1) {
            Value::String(s) => Ok(s),
            Value::Number(n) => {
                let v = self.number_to_str(n)?;
                self.roots.thread.set(args.base + i - 1, v);
                match v {
                    Value::String(s) => Ok(s),
                    _ => unreachable!("number_to_str makes strings"),
                }
            }
            _ => Err(self.arg_type_error(args, i, "string")),
        }
    }

    /// Optional string argument; `None` when absent or nil.
    pub fn opt_str(&mut self, args: Args, i: usize) -> LuaResult<Option<LuaStr>> {
        if self.arg(args, i - 1).is_nil() {
            Ok(None)
        } else {
            self.check_str(args, i).map(Some)
        }
    }

    /// Argument `i` (or `default` when absent and there is one) as the index of one of
    /// `options` (`luaL_checkoption`).
    pub fn check_option(
        &mut self,
        args: Args,
        i: usize,
        default: Option<&str>,
        options: &[&str],
    ) -> LuaResult<usize> {
        let name = match (self.opt_str(args, i)?, default) {
            (Some(s), _) => s.to_str_lossy(),
            (None, Some(d)) => d.to_owned(),
            (None, None) => self.check_str(args, i)?.to_str_lossy(),
        };
        match options.iter().position(|&o| o == name) {
            Some(k) => Ok(k),
            None => Err(self.arg_error(i, &format!("invalid option '{name}'"))),
        }
    }

    /// Pushes one value and returns 1: the usual tail of a library function.
    pub fn ret1(&mut self, v: Value) -> LuaResult<usize> {
        self.push(v)?;
        Ok(1)
    }
}
