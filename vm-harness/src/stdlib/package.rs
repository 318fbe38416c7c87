//! `require` and the `package` table (5.1's `loadlib.c`, Lua modules only): modules are
//! looked up in `package.loaded`, then by the searchers of `package.loaders` (preload,
//! `package.path`, and the two C searchers of `package.cpath`). Native (C) libraries
//! cannot be loaded here: `package.loadlib` and the C searchers fail as 5.1 built
//! without dynamic libraries fails. `LUA_PATH` and `LUA_CPATH` set the paths, `;;`
//! standing for the default.
//! 5.1's `module(name, ...)` and `package.seeall` are provided for old-style modules.

use gc_core::Collector;

use crate::model::LuaModel;
use crate::object::userdata::UserdataRef;
use crate::value::Value;
use crate::vm::{Args, LuaResult, Vm};

const DEFAULT_PATH: &str = "./?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;/usr/local/lib/lua/5.1/?.lua;/usr/local/lib/lua/5.1/?/init.lua;/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua";
const DEFAULT_CPATH: &str = "./?.so;/usr/local/lib/lua/5.1/?.so;/usr/lib/x86_64-linux-gnu/lua/5.1/?.so;/usr/lib/lua/5.1/?.so;/usr/local/lib/lua/5.1/loadall.so";

/// 5.1's message for a build without dynamic libraries (`DLMSG`).
const NO_DYNAMIC_LIBRARIES: &str = "dynamic libraries not enabled; check your Lua installation";

/// `package.config`: directory separator, path separator, name mark, executable
/// directory mark, and the mark ignored before the `luaopen_` name (5.1's `LUA_DIRSEP`,
/// `LUA_PATHSEP`, `LUA_PATH_MARK`, `LUA_EXECDIR`, `LUA_IGMARK`).
const CONFIG: &str = "/\n;\n?\n!\n-";

/// A search path: the environment variable `var` if set, with `;;` standing for the
/// default (5.1's `setpath`), else the default.
fn search_path(var: &str, default: &str) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    let Some(value) = std::env::var_os(var) else {
        return default.as_bytes().to_vec();
    };
    let value = value.into_vec();
    let mut out = Vec::with_capacity(value.len() + default.len());
    let mut rest = &value[..];
    while let Some(at) = rest.windows(2).position(|w| w == b";;") {
        out.extend_from_slice(&rest[..at]);
        out.push(b';');
        out.extend_from_slice(default.as_bytes());
        out.push(b';');
        rest = &rest[at + 2..];
    }
    out.extend_from_slice(rest);
    out
}

/// Creates `package` (path, cpath, config, loaded, preload, loaders, loadlib, seeall)
/// and the globals `require` and `module`.
pub fn open<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> LuaResult<()> {
    let package = vm.register_lib("package", &[("loadlib", loadlib)])?;
    vm.roots.temps.push(Value::Table(package));
    let result = (|| {
        let path = vm.str_value(&search_path("LUA_PATH", DEFAULT_PATH))?;
        vm.set_field(package, "path", path)?;
        let cpath = vm.str_value(&search_path("LUA_CPATH", DEFAULT_CPATH))?;
        vm.set_field(package, "cpath", cpath)?;
        let config = vm.str_value(CONFIG.as_bytes())?;
        vm.set_field(package, "config", config)?;
        let loaded = vm.loaded_table()?;
        vm.set_field(package, "loaded", Value::Table(loaded))?;
        let preload = vm.new_table(0, 0)?;
        vm.set_field(package, "preload", Value::Table(preload))?;
        let sentinel =
            UserdataRef::new(&mut vm.heap, &mut vm.roots, None).map_err(|_| vm.out_of_memory())?;
        vm.roots.temps.push(Value::Userdata(sentinel));
        let req = vm.new_native(require, &[Value::Table(package), Value::Userdata(sentinel)]);
        vm.roots.temps.pop();
        let globals = vm.roots.globals;
        vm.set_field(globals, "require", req?)?;
        let module_fn = vm.new_native(module, &[])?;
        vm.set_field(globals, "module", module_fn)?;
        let seeall_fn = vm.new_native(seeall, &[])?;
        vm.set_field(package, "seeall", seeall_fn)?;
        let loaders = vm.new_table(4, 0)?;
        vm.set_field(package, "loaders", Value::Table(loaders))?;
        let searchers: [crate::vm::NativeFn<C>; 4] = [load_preload, load_lua, load_c, load_c_root];
        for (i, f) in searchers.into_iter().enumerate() {
            let loader = vm.new_native(f, &[Value::Table(package)])?;
            vm.raw_set(loaders, Value::Number((i + 1) as f64), loader)?;
        }
        Ok(())
    })();
    vm.roots.temps.pop();
    result
}

fn require<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    vm.set_top(args.base + 1)?;
    let this = vm.current_native();
    let Value::Table(package) = this.upvalue(0) else {
        unreachable!("require keeps the package table")
    };
    let sentinel = this.upvalue(1);
    let loaded = vm.loaded_table()?;
    vm.push(Value::Table(loaded))?;
    let existing = loaded.get(Value::String(name));
    if existing.truthy() {
        if existing.raw_eq(sentinel) {
            let msg = format!(
                "loop or previous error loading module '{}'",
                name.to_str_lossy()
            );
            return Err(vm.native_error(&msg));
        }
        return vm.ret1(existing);
    }
    let loaders = match vm.get_field(package, "loaders")? {
        Value::Table(t) => t,
        _ => return Err(vm.native_error("'package.loaders' must be a table")),
    };
    let mut tried = Vec::new();
    let mut i = 1;
    let loader = loop {
        let searcher = loaders.get_int(i);
        if searcher.is_nil() {
            tried.splice(
                0..0,
                format!("module '{}' not found:", name.to_str_lossy()).into_bytes(),
            );
            return Err(vm.error_at_level(&tried, 1));
        }
        let func = vm.top();
        vm.push(searcher)?;
        vm.push(Value::String(name))?;
        vm.call(func, 1)?;
        match vm.thread().get(func) {
            f if f.is_function() => break f,
            Value::String(s) => tried.extend_from_slice(s.as_bytes()),
            _ => {}
        }
        vm.set_top(func)?;
        i += 1;
    };
    vm.raw_set(loaded, Value::String(name), sentinel)?;
    let func = vm.top();
    vm.push(loader)?;
    vm.push(Value::String(name))?;
    vm.call(func, 1)?;
    let result = vm.pop();
    if !result.is_nil() {
        vm.raw_set(loaded, Value::String(name), result)?;
    }
    let mut value = loaded.get(Value::String(name));
    if value.raw_eq(sentinel) {
        value = Value::Boolean(true);
        vm.raw_set(loaded, Value::String(name), value)?;
    }
    vm.ret1(value)
}

/// The `package` table a searcher was created with.
fn package_of<C: Collector<LuaModel>>(vm: &mut Vm<C>) -> crate::object::table::TableRef {
    match vm.current_native().upvalue(0) {
        Value::Table(t) => t,
        _ => unreachable!("searchers keep the package table"),
    }
}

/// Returns `msg` as a searcher's "not found" explanation.
fn not_found<C: Collector<LuaModel>>(vm: &mut Vm<C>, msg: &str) -> LuaResult<usize> {
    let s = vm.str_value(msg.as_bytes())?;
    vm.ret1(s)
}

/// The first searcher: `package.preload[name]`.
fn load_preload<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let package = package_of(vm);
    if let Value::Table(preload) = vm.get_field(package, "preload")? {
        let f = preload.get(Value::String(name));
        if !f.is_nil() {
            return vm.ret1(f);
        }
    } else {
        return Err(vm.native_error("'package.preload' must be a table"));
    }
    not_found(
        vm,
        &format!("\n\tno field package.preload['{}']", name.to_str_lossy()),
    )
}

/// The candidate file names for `name` along the path stored in `package[field]`.
fn candidates<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    field: &str,
    name: &str,
) -> LuaResult<Vec<String>> {
    let package = package_of(vm);
    let path = match vm.get_field(package, field)? {
        Value::String(s) => s.to_str_lossy(),
        _ => return Err(vm.native_error(&format!("'package.{field}' must be a string"))),
    };
    let file_name = name.replace('.', "/");
    Ok(path
        .split(';')
        .filter(|t| !t.is_empty())
        .map(|t| t.replace('?', &file_name))
        .collect())
}

/// The second searcher: a Lua file on `package.path`.
fn load_lua<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?.to_str_lossy();
    let mut tried = String::new();
    for candidate in candidates(vm, "path", &name)? {
        if std::fs::File::open(&candidate).is_ok() {
            return match vm.load_file(&candidate)? {
                Ok(f) => vm.ret1(f),
                Err(msg) => {
                    let msg = format!(
                        "error loading module '{name}' from file '{candidate}':\n\t{}",
                        String::from_utf8_lossy(&msg)
                    );
                    Err(vm.native_error(&msg))
                }
            };
        }
        tried.push_str(&format!("\n\tno file '{candidate}'"));
    }
    not_found(vm, &tried)
}

/// `package.loadlib(path, funcname)`: nil, 5.1's message and "absent", as 5.1 built
/// without dynamic libraries answers.
fn loadlib<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    vm.check_str(args, 1)?;
    vm.check_str(args, 2)?;
    vm.push(Value::Nil)?;
    let msg = vm.str_value(NO_DYNAMIC_LIBRARIES.as_bytes())?;
    vm.push(msg)?;
    let kind = vm.str_value(b"absent")?;
    vm.push(kind)?;
    Ok(3)
}

/// Searches `package.cpath` for the library of `file_name` (5.1's `findfile`): where
/// it was not found, or the error 5.1 raises when it cannot load the one it found.
fn find_c_library<C: Collector<LuaModel>>(
    vm: &mut Vm<C>,
    module: &str,
    file_name: &str,
) -> LuaResult<usize> {
    let mut tried = String::new();
    for candidate in candidates(vm, "cpath", file_name)? {
        if std::fs::File::open(&candidate).is_ok() {
            let msg = format!(
                "error loading module '{module}' from file '{candidate}':\n\t{NO_DYNAMIC_LIBRARIES}"
            );
            return Err(vm.native_error(&msg));
        }
        tried.push_str(&format!("\n\tno file '{candidate}'"));
    }
    not_found(vm, &tried)
}

/// The third searcher: a C library for the module on `package.cpath`.
fn load_c<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?.to_str_lossy();
    find_c_library(vm, &name, &name)
}

/// The fourth searcher: the all-in-one C library of `a.b.c`'s root `a`.
fn load_c_root<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?.to_str_lossy();
    let Some((root, _)) = name.split_once('.') else {
        return Ok(0);
    };
    find_c_library(vm, &name, root)
}

/// 5.1's `module`: finds or creates the module table (in `package.loaded`, else as a
/// dotted global path), initialises `_M`, `_NAME`, `_PACKAGE`, makes it the calling
/// function's environment, and applies the option functions.
fn module<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let name = vm.check_str(args, 1)?;
    let loaded = vm.loaded_table()?;
    let m = match loaded.get(Value::String(name)) {
        Value::Table(t) => t,
        _ => {
            let mut t = vm.roots.globals;
            for part in name.as_bytes().split(|&b| b == b'.') {
                let key = vm.str_value(part)?;
                t = match t.get(key) {
                    Value::Table(next) => next,
                    Value::Nil => {
                        // The interned key is rooted nowhere else across the allocation.
                        vm.roots.temps.push(key);
                        let next = vm.new_table(0, 0);
                        vm.roots.temps.pop();
                        let next = next?;
                        vm.raw_set(t, key, Value::Table(next))?;
                        next
                    }
                    _ => {
                        let msg = format!("name conflict for module '{}'", name.to_str_lossy());
                        return Err(vm.native_error(&msg));
                    }
                };
            }
            vm.raw_set(loaded, Value::String(name), Value::Table(t))?;
            t
        }
    };
    vm.push(Value::Table(m))?;
    if vm.get_field(m, "_NAME")?.is_nil() {
        vm.set_field(m, "_M", Value::Table(m))?;
        vm.set_field(m, "_NAME", Value::String(name))?;
        let bytes = name.as_bytes();
        let package = match bytes.iter().rposition(|&b| b == b'.') {
            Some(dot) => &bytes[..=dot],
            None => &bytes[..0],
        };
        let p = vm.str_value(package)?;
        vm.set_field(m, "_PACKAGE", p)?;
    }
    match vm.frame_at_level(1) {
        Some(i) => {
            let th = vm.thread();
            match th.get(th.frame(i).func as usize) {
                Value::LuaFunction(f) => f.set_env(&mut vm.heap, m),
                _ => return Err(vm.native_error("'module' not called from a Lua function")),
            }
        }
        None => return Err(vm.native_error("'module' not called from a Lua function")),
    }
    for i in 1..args.n {
        let option = vm.arg(args, i);
        vm.call_value(option, &[Value::Table(m)])?;
    }
    Ok(0)
}

/// `package.seeall(m)`: globals visible through `m`'s `__index`.
fn seeall<C: Collector<LuaModel>>(vm: &mut Vm<C>, args: Args) -> LuaResult<usize> {
    let m = vm.check_table(args, 1)?;
    let mt = match m.metatable() {
        Some(mt) => mt,
        None => {
            let mt = vm.new_table(0, 1)?;
            m.set_metatable(&mut vm.heap, Some(mt));
            mt
        }
    };
    let globals = vm.roots.globals;
    vm.set_field(mt, "__index", Value::Table(globals))?;
    Ok(0)
}
