//! The virtual machine: the collector, the roots, the table of native functions, and the
//! helpers native code uses to read arguments and push results.
//!
//! Invariants:
//! - Native functions follow Lua's C API discipline: arguments and anything they create
//!   that must survive an allocation live on the running thread's stack (or in
//!   `VmRoots::temps`), never only in Rust locals.
//! - Errors travel as `Err(Throw::Error)` with the error value in `VmRoots::error_value`;
//!   frames are not popped while an error travels, so handlers and tracebacks see the
//!   stack as it was where the error was raised. Whoever catches an error unwinds.

mod budget;
pub mod buffer;
mod call;
pub mod coroutine;
pub mod error;
mod finalize;
mod hooks;
mod interp;
pub mod metamethods;
mod stack_info;

use gc_core::Collector;

use crate::binary_chunk;
use crate::compiler::{self, CompileOptions};
use crate::heap::Heap;
use crate::model::LuaModel;
use crate::object::closure::{LuaClosureRef, NativeClosureRef};
use crate::object::proto::ProtoRef;
use crate::object::string::{intern, LuaStr};
use crate::object::table::{SetError, TableRef};
use crate::object::thread::{Status, ThreadRef};
use crate::object::upvalue::UpvalRef;
use crate::roots::{BootRoots, Name, VmRoots};
use crate::stdlib::io::stream::Stream;
use crate::stdlib::io::OpenFiles;
use crate::stress_pins::StressPins;
use crate::text::pattern::Backtrack;
use crate::value::Value;

pub use error::Throw;
pub use stack_info::StackLevel;

/// The result of anything that may raise a Lua error (or yield).
pub type LuaResult<T> = Result<T, Throw>;

/// A native function: reads its arguments through `args`, pushes its results on the
/// stack and returns how many it pushed.
pub type NativeFn<C> = fn(&mut Vm<C>, Args) -> LuaResult<usize>;

/// What `os.exit` runs before ending the process: the VM and the exit status.
pub type ExitHook<C> = Box<dyn FnOnce(&mut Vm<C>, i32)>;

/// Where a native call's arguments are: stack slots `base .. base + n` of the running
/// thread. Indices stay valid when the stack moves.
#[derive(Copy, Clone, Debug)]
pub struct Args {
    /// First argument's slot.
    pub base: usize,
    /// Number of arguments.
    pub n: usize,
}

/// 5.1's `LUAI_MAXCALLS`: the deepest Lua call nesting.
pub const MAX_CALLS: usize = 20000;
/// 5.1's `LUAI_MAXCCALLS`: the deepest nesting of native-to-Lua re-entries.
pub const MAX_CCALLS: u32 = 200;
/// 5.1's `LUAI_MAXCSTACK`: slots a native function may use.
pub const MAX_NATIVE_STACK: usize = 8000;
/// Slots a native function finds free at entry (5.1's `LUA_MINSTACK`).
pub const MIN_STACK: usize = 20;
/// Largest stack, in slots.
pub const MAX_STACK: usize = 1 << 24;

/// How to run the VM.
#[derive(Clone, Debug, Default)]
pub struct VmOptions {
    /// Collect and verify the heap before every N-th allocation (0: never).
    pub gc_stress: u32,
}

/// A Lua 5.1 virtual machine over the collector `C`.
pub struct Vm<C: Collector<LuaModel>> {
    /// The collector behind the allocation front.
    pub heap: Heap<C>,
    /// Everything the collector marks from.
    pub roots: VmRoots,
    natives: Vec<NativeFn<C>>,
    /// The deepest Lua call nesting allowed now: `MAX_CALLS`, plus some room while an
    /// error handler runs (5.1 lets handlers run after a stack overflow).
    pub(crate) call_limit: usize,
    /// Whether the error travelling now is an allocation failure (5.1's `LUA_ERRMEM`),
    /// for which `xpcall` calls no message handler: set by `out_of_memory`, cleared by
    /// every other raise.
    pub(crate) memory_error: bool,
    /// Nesting of native-to-Lua calls (5.1's `nCcalls`).
    pub(crate) ccalls: u32,
    /// Values a yielding coroutine hands to its resumer (count, at its stack top).
    pub(crate) yield_count: usize,
    /// Standard output, buffered as C buffers it (`print` and `io.stdout`).
    pub(crate) stdout: Stream,
    /// Standard input, buffered (`io.stdin` and the interactive prompt).
    pub(crate) stdin: Stream,
    /// The io library's other open files.
    pub(crate) files: OpenFiles,
    /// Called by `os.exit` with the exit status before the process ends (the embedder's
    /// last words: luagc writes its statistics).
    pub exit_hook: Option<ExitHook<C>>,
    /// State of `math.random`.
    pub(crate) rng: u64,
    /// `collectgarbage("setpause")`'s value, also given to the collector.
    pub(crate) gc_pause: u32,
    /// `collectgarbage("setstepmul")`'s value, also given to the collector (and returned
    /// as the previous value by the next call).
    pub(crate) gc_stepmul: u32,
    /// Whether finalizers are running (they do not nest: see `finalize`).
    pub(crate) running_finalizers: bool,
    /// Calls and loop iterations left before the budget's slow path: "instruction
    /// budget exhausted" or a poll of the collector (see `budget`).
    budget: u64,
    /// The budget's units beyond `budget`'s countdown.
    budget_reserve: u64,
    /// Whether the program has an instruction budget (`set_instruction_budget`).
    budget_limited: bool,
    /// The memory of the string library's last pattern matcher's stack, lent to the
    /// next one so that matching in a loop allocates no stack per call.
    pub(crate) backtrack: Backtrack,
    /// The memory of the last concatenation's or number conversion's buffer, lent to
    /// the next (`buffer::keep_spare_buffer`); taken, so a nested use gets an empty one.
    pub(crate) spare_buffer: Vec<u8>,
}

impl<C: Collector<LuaModel>> Vm<C> {
    /// Boots a VM: main thread, registry, globals, interned names and the standard
    /// libraries. Fails only if the heap limit is too small to boot.
    pub fn new(gc: C, options: &VmOptions) -> Result<Self, String> {
        let mut heap = Heap::new(gc, options.gc_stress);
        let oom = |_| "not enough memory to start the VM".to_owned();
        let mut boot = BootRoots::default();
        let registry = TableRef::new(&mut heap, &mut boot, 0, 2).map_err(oom)?;
        boot.temps.push(Value::Table(registry));
        let globals = TableRef::new(&mut heap, &mut boot, 0, 64).map_err(oom)?;
        boot.temps.push(Value::Table(globals));
        let main = ThreadRef::new(&mut heap, &mut boot).map_err(oom)?;
        main.set_status(Status::Running);
        let roots = VmRoots {
            strings: Default::default(),
            main_thread: main,
            thread: main,
            globals,
            registry,
            type_metatables: Default::default(),
            error_value: Value::Nil,
            names: Vec::new(),
            temps: Vec::new(),
            protos_under_construction: Vec::new(),
            finalizing: Default::default(),
            stress_pins: StressPins::new(heap.stress_enabled()),
        };
        let mut vm = Vm {
            heap,
            roots,
            natives: Vec::new(),
            call_limit: MAX_CALLS,
            memory_error: false,
            ccalls: 0,
            yield_count: 0,
            stdout: Stream::stdout(),
            stdin: Stream::stdin(),
            files: OpenFiles::new(),
            exit_hook: None,
            rng: 0x2545_f491_4f6c_dd1d,
            gc_pause: 200,
            gc_stepmul: 200,
            running_finalizers: false,
            budget: 1,
            budget_reserve: u64::MAX,
            budget_limited: false,
            backtrack: Backtrack::default(),
            spare_buffer: Vec::new(),
        };
        for (_, text) in Name::ALL {
            let s = intern(&mut vm.heap, &mut vm.roots, text.as_bytes()).map_err(oom)?;
            vm.roots.names.push(s);
        }
        crate::stdlib::open_all(&mut vm).map_err(|_| vm.error_string())?;
        Ok(vm)
    }

    // ----- allocation helpers: each maps running out of memory to a Lua error -----

    /// Interns `bytes` (which may point into a rooted heap string).
    pub fn intern(&mut self, bytes: &[u8]) -> LuaResult<LuaStr> {
        intern(&mut self.heap, &mut self.roots, bytes).map_err(|_| self.out_of_memory())
    }

    /// Interns `bytes` as a string value.
    pub fn str_value(&mut self, bytes: &[u8]) -> LuaResult<Value> {
        self.intern(bytes).map(Value::String)
    }

    /// A new table.
    pub fn new_table(&mut self, narray: usize, nhash: usize) -> LuaResult<TableRef> {
        TableRef::new(&mut self.heap, &mut self.roots, narray, nhash)
            .map_err(|_| self.out_of_memory())
    }

    /// Registers a Rust function and returns a new native closure for it, with the
    /// given upvalues (rooted by the caller).
    pub fn new_native(&mut self, f: NativeFn<C>, upvalues: &[Value]) -> LuaResult<Value> {
        let index = match self.natives.iter().position(|&g| g as usize == f as usize) {
            Some(i) => i,
            None => {
                self.natives.push(f);
                self.natives.len() - 1
            }
        };
        NativeClosureRef::new(&mut self.heap, &mut self.roots, index, upvalues)
            .map(Value::NativeFunction)
            .map_err(|_| self.out_of_memory())
    }

    /// Raw store into a table, turning store failures into Lua errors (5.1 messages).
    /// Inlined, as `TableRef::set` is: the interpreter's `SETTABLE` stores through it.
    #[inline(always)]
    pub fn raw_set(&mut self, t: TableRef, key: Value, val: Value) -> LuaResult<()> {
        t.set(&mut self.heap, &mut self.roots, key, val)
            .map_err(|e| self.set_error(e))
    }

    /// `raw_set` once `TableRef::set_present` did not store (the interpreter tries it
    /// first), without trying it again.
    pub fn raw_set_absent(&mut self, t: TableRef, key: Value, val: Value) -> LuaResult<()> {
        t.set_absent(&mut self.heap, &mut self.roots, key, val)
            .map_err(|e| self.set_error(e))
    }

    /// The Lua error for a failed raw store.
    #[cold]
    #[inline(never)]
    fn set_error(&mut self, e: SetError) -> Throw {
        match e {
            SetError::NilKey => self.runtime_error("table index is nil"),
            SetError::NanKey => self.runtime_error("table index is NaN"),
            SetError::OutOfMemory => self.out_of_memory(),
        }
    }

    /// Raw store under a string key given as text (library set-up, fields like `n`).
    pub fn set_field(&mut self, t: TableRef, name: &str, val: Value) -> LuaResult<()> {
        self.roots.temps.extend([Value::Table(t), val]);
        let key = self.intern(name.as_bytes());
        let result = key.and_then(|k| self.raw_set(t, Value::String(k), val));
        self.roots.temps.truncate(self.roots.temps.len() - 2);
        result
    }

    /// Raw read of a string-keyed field.
    pub fn get_field(&mut self, t: TableRef, name: &str) -> LuaResult<Value> {
        self.roots.temps.push(Value::Table(t));
        let key = self.intern(name.as_bytes());
        self.roots.temps.pop();
        Ok(t.get_str(key?))
    }

    /// The error raised when an allocation fails: the preallocated "not enough memory".
    #[cold]
    pub fn out_of_memory(&mut self) -> Throw {
        self.roots.error_value = Value::String(self.roots.name(Name::NotEnoughMemory));
        self.memory_error = true;
        Throw::Error
    }

    // ----- the running thread's stack, as native functions see it -----

    /// The running thread.
    #[inline(always)]
    pub fn thread(&self) -> ThreadRef {
        self.roots.thread
    }

    /// Argument `i` (0-based), nil when absent.
    #[inline]
    pub fn arg(&self, args: Args, i: usize) -> Value {
        if i < args.n {
            self.roots.thread.get(args.base + i)
        } else {
            Value::Nil
        }
    }

    /// The first free stack slot.
    #[inline]
    pub fn top(&self) -> usize {
        self.roots.thread.top()
    }

    /// Makes room for `n` more slots above the top.
    pub fn check_stack(&mut self, n: usize) -> LuaResult<()> {
        let th = self.roots.thread;
        let needed = th.top() + n;
        if needed > MAX_STACK {
            return Err(self.runtime_error("stack overflow"));
        }
        th.ensure_stack(&mut self.heap, &mut self.roots, needed)
            .map_err(|_| self.out_of_memory())
    }

    /// Pushes a value on the running thread's stack.
    #[inline]
    pub fn push(&mut self, v: Value) -> LuaResult<()> {
        let th = self.roots.thread;
        let top = th.top();
        if top >= th.stack_cap() {
            self.roots.temps.push(v);
            let grown = self.check_stack(1);
            self.roots.temps.pop();
            grown?;
        }
        th.set(top, v);
        th.set_top(top + 1);
        Ok(())
    }

    /// Sets the top to `top`, nil-filling new slots (5.1's `lua_settop`).
    pub fn set_top(&mut self, top: usize) -> LuaResult<()> {
        let th = self.roots.thread;
        let old = th.top();
        if top > old {
            self.check_stack(top - old)?;
            for i in old..top {
                th.set(i, Value::Nil);
            }
        }
        th.set_top(top);
        Ok(())
    }

    /// Pops and returns the top value.
    pub fn pop(&mut self) -> Value {
        let th = self.roots.thread;
        let top = th.top() - 1;
        th.set_top(top);
        th.get(top)
    }

    /// The function being run by the innermost native frame (to read its upvalues).
    pub fn current_native(&self) -> NativeClosureRef {
        let th = self.roots.thread;
        match th.get(th.current_frame().func as usize) {
            Value::NativeFunction(f) => f,
            _ => unreachable!("current frame is not native"),
        }
    }

    /// Looks up native function `index`.
    #[inline(always)]
    pub(crate) fn native(&self, index: usize) -> NativeFn<C> {
        self.natives[index]
    }

    // ----- loading and running chunks -----

    /// Compiles a chunk (or reads and verifies a binary chunk) and returns a closure of it
    /// in the global environment; syntax errors and bad binary chunks come back as the
    /// message lua5.1 reports. `chunk_name` is 5.1's (`@file`, `=name`, or the code
    /// itself), which `debug.getinfo` reports as the source.
    pub fn load(
        &mut self,
        source: &[u8],
        chunk_name: &str,
        options: CompileOptions,
    ) -> LuaResult<Result<Value, Vec<u8>>> {
        let proto = if binary_chunk::is_binary(source) {
            match binary_chunk::undump(source, options.c_call_depth) {
                Ok(p) => p,
                Err(e) => {
                    let name = compiler::chunk_id(chunk_name.as_bytes());
                    return Ok(Err(format!("{name}: {e}").into_bytes()));
                }
            }
        } else {
            match compiler::compile_with(source, chunk_name, options) {
                Ok(p) => p,
                Err(e) => return Ok(Err(e.message().to_vec())),
            }
        };
        let p = ProtoRef::load(&mut self.heap, &mut self.roots, &proto)
            .map_err(|_| self.out_of_memory())?;
        self.roots.protos_under_construction.push(p);
        let cl = self.main_closure(p);
        self.roots.protos_under_construction.pop();
        Ok(Ok(Value::LuaFunction(cl?)))
    }

    /// A closure of the loaded main function `p` (rooted by the caller). A dumped
    /// function may have upvalues: as in 5.1's `f_parser`, each is a fresh variable
    /// holding nil, made here as the upvalue of a nil slot pushed for it and closed at
    /// once (open upvalues are rooted by the thread while the others are allocated).
    fn main_closure(&mut self, p: ProtoRef) -> LuaResult<LuaClosureRef> {
        let th = self.roots.thread;
        let first = th.top();
        self.set_top(first + p.nupvalues())?;
        let upvalues = (first..th.top())
            .map(|slot| self.find_upvalue(slot).map(Some))
            .collect::<LuaResult<Vec<_>>>()?;
        let globals = self.roots.globals;
        let cl = LuaClosureRef::new(&mut self.heap, &mut self.roots, p, globals, &upvalues);
        self.close_upvalues(th, first);
        th.set_top(first);
        cl.map_err(|_| self.out_of_memory())
    }

    /// `string.dump`: the binary chunk of a Lua function.
    pub fn dump_function(&self, f: LuaClosureRef) -> Vec<u8> {
        binary_chunk::dump(&f.proto().full_view())
    }

    /// Calls `f` with `args` from the top level (no frame running), discarding results.
    /// On error, the error value is left in `VmRoots::error_value` and the returned
    /// string holds the message and, for a string or number error, a traceback.
    pub fn run_function(&mut self, f: Value, args: &[Value]) -> Result<(), String> {
        let first = self.run_function_results(f, args)?;
        self.roots.thread.set_top(first);
        Ok(())
    }

    /// Like `run_function`, but keeps every result on the stack, from the returned slot
    /// up to the top, for the caller to use and then drop with `set_top`.
    pub fn run_function_results(&mut self, f: Value, args: &[Value]) -> Result<usize, String> {
        let th = self.roots.thread;
        let func = th.top();
        let outcome = (|| {
            self.push(f)?;
            for &a in args {
                self.push(a)?;
            }
            self.call(func, -1)
        })();
        match outcome {
            Ok(()) => Ok(func),
            Err(_) => {
                // As lua.c's traceback handler: only a string (or number) gets a trace.
                let mut message = self.error_string();
                if matches!(self.roots.error_value, Value::String(_) | Value::Number(_)) {
                    message.push('\n');
                    message.push_str(&self.traceback());
                }
                self.close_upvalues(th, func);
                th.truncate_frames(0);
                self.ccalls = 0;
                th.set_top(func);
                Err(message)
            }
        }
    }

    /// The pending error value as text, as the standalone interpreter prints it.
    pub fn error_string(&self) -> String {
        match self.roots.error_value {
            Value::String(s) => s.to_str_lossy(),
            Value::Number(n) => {
                let mut out = Vec::new();
                crate::convert::format_number(n, &mut out);
                String::from_utf8_lossy(&out).into_owned()
            }
            _ => "(error object is not a string)".to_owned(),
        }
    }

    /// Flushes buffered standard output.
    pub fn flush(&mut self) {
        let _ = self.stdout.flush();
    }

    /// Closes the open upvalues of `th` at or above stack slot `level`.
    #[inline(always)]
    pub(crate) fn close_upvalues(&mut self, th: ThreadRef, level: usize) {
        self.close_upvalues_above(th, th.stack_ptr().wrapping_add(level));
    }

    /// Closes the open upvalues of `th` whose slots lie at or above `level`, an address
    /// in its stack block (the interpreter's frame base). The open list is sorted by
    /// slot address (`crate::object::upvalue`). The test is inlined: returns usually
    /// find none to close, though an enclosing function's captured locals (a recursive
    /// local function's own name) keep the list non-empty.
    #[inline(always)]
    pub(crate) fn close_upvalues_above(&mut self, th: ThreadRef, level: *const Value) {
        if let Some(uv) = th.open_upvalues() {
            if uv.slot() as *const Value >= level {
                self.close_upvalues_from(th, level);
            }
        }
    }

    #[inline(never)]
    fn close_upvalues_from(&mut self, th: ThreadRef, level: *const Value) {
        let mut head = th.open_upvalues();
        while let Some(uv) = head {
            if (uv.slot() as *const Value) < level {
                break;
            }
            head = uv.next();
            uv.close(&mut self.heap);
        }
        th.set_open_upvalues(&mut self.heap, head);
    }

    /// The open upvalue for stack slot `index` of the running thread, created if needed.
    #[inline(never)]
    pub(crate) fn find_upvalue(&mut self, index: usize) -> LuaResult<UpvalRef> {
        let th = self.roots.thread;
        let slot = th.slot_ptr(index);
        let mut prev: Option<UpvalRef> = None;
        let mut cur = th.open_upvalues();
        while let Some(uv) = cur {
            let at = uv.slot();
            if at == slot {
                return Ok(uv);
            }
            if at < slot {
                break;
            }
            prev = Some(uv);
            cur = uv.next();
        }
        let uv = UpvalRef::new_open(&mut self.heap, &mut self.roots, th, index, cur)
            .map_err(|_| self.out_of_memory())?;
        match prev {
            None => th.set_open_upvalues(&mut self.heap, Some(uv)),
            Some(p) => p.set_next(&mut self.heap, Some(uv)),
        }
        Ok(uv)
    }
}
