//! Function prototypes in the heap: the compiler's [`compiler::Proto`] turned into a
//! traversable object whose code, constants, nested prototypes and debug data are leaf
//! blocks it owns.
//!
//! Invariants: a prototype is built with every part absent and counts zero, then each
//! part is allocated, filled and installed in turn, so a collection in between traces a
//! consistent object; string constants and names are interned into installed blocks.
//!
//! Write barrier (see `crate::heap`): the prototype is only written while `load` builds
//! it, but it is rooted (in `VmRoots::protos_under_construction`) across the allocations
//! of its parts, so an incremental collector may trace it between them. Every store of a
//! reference after the first allocation that follows the prototype's own therefore runs
//! `Heap::barrier` on the prototype, after that allocation: the installation of each
//! part block (code, line info, constants, nested prototypes, local variables, upvalue
//! names) and each reference written into a part (string constants, nested prototypes,
//! variable and upvalue names, each interned or loaded just before). A finished
//! prototype is never written again.

use gc_core::{Collector, GcHeader, ObjectRef, OutOfMemory, Tracer};

use super::KIND_PROTO;
use crate::compiler;
use crate::heap::Heap;
use crate::model::LuaModel;
use crate::object::string::{intern, LuaStr};
use crate::roots::VmRoots;
use crate::value::Value;

/// A reference to a prototype.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(transparent)]
pub struct ProtoRef(pub(crate) ObjectRef);

/// A local variable's debug record.
#[repr(C)]
#[derive(Copy, Clone)]
struct LocVar {
    name: Option<LuaStr>,
    start_pc: u32,
    end_pc: u32,
}

#[repr(C)]
struct Proto {
    header: GcHeader,
    source: LuaStr,
    code: Option<ObjectRef>,
    line_info: Option<ObjectRef>,
    constants: Option<ObjectRef>,
    protos: Option<ObjectRef>,
    local_vars: Option<ObjectRef>,
    upvalue_names: Option<ObjectRef>,
    code_len: u32,
    nconstants: u32,
    nprotos: u32,
    nlocals: u32,
    nupvalue_names: u32,
    line_defined: u32,
    last_line_defined: u32,
    num_params: u8,
    is_vararg: bool,
    needs_arg: bool,
    max_stack: u8,
    nil_registers: u8,
    /// `max(num_params, nil_registers)`, kept so a call computes nothing from the
    /// prototype (see `entry_nil_end`).
    entry_nil_end: u8,
    nupvalues: u8,
}

impl ProtoRef {
    #[inline(always)]
    fn raw(self) -> *mut Proto {
        self.0.as_ptr() as *mut Proto
    }

    raw_fields! {
        source: LuaStr, source_field;
        code: Option<ObjectRef>, code_block, set_code_block;
        line_info: Option<ObjectRef>, line_info_block, set_line_info_block;
        constants: Option<ObjectRef>, constants_block, set_constants_block;
        protos: Option<ObjectRef>, protos_block, set_protos_block;
        local_vars: Option<ObjectRef>, local_vars_block, set_local_vars_block;
        upvalue_names: Option<ObjectRef>, upvalue_names_block, set_upvalue_names_block;
        code_len: u32, code_len_field, set_code_len;
        nconstants: u32, nconstants, set_nconstants;
        nprotos: u32, nprotos, set_nprotos;
        nlocals: u32, nlocals, set_nlocals;
        nupvalue_names: u32, nupvalue_names, set_nupvalue_names;
        line_defined: u32, line_defined_field;
        last_line_defined: u32, last_line_defined_field;
        num_params: u8, num_params_field;
        is_vararg: bool, is_vararg_field;
        needs_arg: bool, needs_arg_field;
        max_stack: u8, max_stack_field;
        nil_registers: u8, nil_registers_field;
        entry_nil_end: u8, entry_nil_end_field;
        nupvalues: u8, nupvalues_field;
    }

    /// Builds the heap form of `src` and, recursively, of its nested functions.
    pub fn load<C: Collector<LuaModel>>(
        heap: &mut Heap<C>,
        roots: &mut VmRoots,
        src: &compiler::Proto,
    ) -> Result<ProtoRef, OutOfMemory> {
        let mark = roots.temps.len();
        let result = Self::load_rooted(heap, roots, src);
        roots.temps.truncate(mark);
        result
    }

    fn load_rooted<C: Collector<LuaModel>>(
        heap: &mut Heap<C>,
        roots: &mut VmRoots,
        src: &compiler::Proto,
    ) -> Result<ProtoRef, OutOfMemory> {
        let source = intern(heap, roots, src.source.as_bytes())?;
        roots.temps.push(Value::String(source));
        let obj = heap.alloc_object(KIND_PROTO, std::mem::size_of::<Proto>(), roots)?;
        let proto = ProtoRef(obj);
        // SAFETY: a fresh proto-sized block: every field after the header is written
        // before the next allocation.
        unsafe {
            std::ptr::addr_of_mut!((*(obj.as_ptr() as *mut Proto)).source).write(source);
            let p = obj.as_ptr() as *mut Proto;
            std::ptr::addr_of_mut!((*p).code).write(None);
            std::ptr::addr_of_mut!((*p).line_info).write(None);
            std::ptr::addr_of_mut!((*p).constants).write(None);
            std::ptr::addr_of_mut!((*p).protos).write(None);
            std::ptr::addr_of_mut!((*p).local_vars).write(None);
            std::ptr::addr_of_mut!((*p).upvalue_names).write(None);
            std::ptr::addr_of_mut!((*p).code_len).write(0);
            std::ptr::addr_of_mut!((*p).nconstants).write(0);
            std::ptr::addr_of_mut!((*p).nprotos).write(0);
            std::ptr::addr_of_mut!((*p).nlocals).write(0);
            std::ptr::addr_of_mut!((*p).nupvalue_names).write(0);
            std::ptr::addr_of_mut!((*p).line_defined).write(src.line_defined);
            std::ptr::addr_of_mut!((*p).last_line_defined).write(src.last_line_defined);
            std::ptr::addr_of_mut!((*p).num_params).write(src.num_params);
            std::ptr::addr_of_mut!((*p).is_vararg).write(src.is_vararg);
            std::ptr::addr_of_mut!((*p).needs_arg).write(src.needs_arg);
            std::ptr::addr_of_mut!((*p).max_stack).write(src.max_stack_size);
            std::ptr::addr_of_mut!((*p).nil_registers).write(src.nil_registers);
            std::ptr::addr_of_mut!((*p).entry_nil_end).write(src.num_params.max(src.nil_registers));
            std::ptr::addr_of_mut!((*p).nupvalues).write(src.upvalue_names.len() as u8);
        }
        roots.protos_under_construction.push(proto);

        let result = (|| {
            // Each store below follows an allocation that may have traced the prototype.
            let code = copy_words(heap, roots, &src.code)?;
            heap.barrier(proto.0);
            proto.set_code_block(Some(code));
            proto.set_code_len(src.code.len() as u32);
            let lines = copy_words(heap, roots, &src.line_info)?;
            heap.barrier(proto.0);
            proto.set_line_info_block(Some(lines));

            let k = alloc_filled(heap, roots, src.constants.len(), Value::Nil)?;
            heap.barrier(proto.0);
            proto.set_constants_block(k);
            proto.set_nconstants(src.constants.len() as u32);
            for (i, c) in src.constants.iter().enumerate() {
                let v = match c {
                    compiler::Constant::Nil => Value::Nil,
                    compiler::Constant::Boolean(b) => Value::Boolean(*b),
                    compiler::Constant::Number(n) => Value::Number(*n),
                    compiler::Constant::String(s) => Value::String(intern(heap, roots, s)?),
                };
                heap.barrier(proto.0);
                proto.set_constant(i, v);
            }

            let children = alloc_filled(heap, roots, src.protos.len(), None::<ProtoRef>)?;
            heap.barrier(proto.0);
            proto.set_protos_block(children);
            proto.set_nprotos(src.protos.len() as u32);
            for (i, child) in src.protos.iter().enumerate() {
                let c = Self::load_rooted(heap, roots, child)?;
                heap.barrier(proto.0);
                // SAFETY: i < nprotos, inside the installed children block.
                unsafe {
                    *(children.expect("children").as_ptr() as *mut Option<ProtoRef>).add(i) =
                        Some(c)
                };
            }

            let empty = LocVar {
                name: None,
                start_pc: 0,
                end_pc: 0,
            };
            let locals = alloc_filled(heap, roots, src.local_vars.len(), empty)?;
            heap.barrier(proto.0);
            proto.set_local_vars_block(locals);
            proto.set_nlocals(src.local_vars.len() as u32);
            for (i, var) in src.local_vars.iter().enumerate() {
                let name = intern(heap, roots, var.name.as_bytes())?;
                heap.barrier(proto.0);
                // SAFETY: i < nlocals, inside the installed locals block.
                unsafe {
                    *(locals.expect("locals").as_ptr() as *mut LocVar).add(i) = LocVar {
                        name: Some(name),
                        start_pc: var.start_pc,
                        end_pc: var.end_pc,
                    }
                };
            }

            let names = alloc_filled(heap, roots, src.upvalue_names.len(), None::<LuaStr>)?;
            heap.barrier(proto.0);
            proto.set_upvalue_names_block(names);
            proto.set_nupvalue_names(src.upvalue_names.len() as u32);
            for (i, name) in src.upvalue_names.iter().enumerate() {
                let s = intern(heap, roots, name.as_bytes())?;
                heap.barrier(proto.0);
                // SAFETY: i < nupvalue_names, inside the installed names block.
                unsafe {
                    *(names.expect("names").as_ptr() as *mut Option<LuaStr>).add(i) = Some(s)
                };
            }
            Ok(proto)
        })();
        roots.protos_under_construction.pop();
        result
    }

    fn set_constant(self, i: usize, v: Value) {
        assert!(i < self.nconstants() as usize);
        // SAFETY: i < nconstants, inside the installed constants block.
        unsafe { *self.constants_ptr().cast_mut().add(i) = v };
    }

    /// The instructions.
    #[inline(always)]
    pub fn code_ptr(self) -> *const u32 {
        // SAFETY: a finished prototype (the only kind a closure refers to) has its code.
        unsafe { self.code_block().unwrap_unchecked().as_ptr() as *const u32 }
    }

    /// Number of instructions.
    pub fn code_len(self) -> usize {
        self.code_len_field() as usize
    }

    /// Instruction `pc`.
    pub fn instruction(self, pc: usize) -> u32 {
        assert!(pc < self.code_len());
        // SAFETY: pc < code_len, inside the code block.
        unsafe { *self.code_ptr().add(pc) }
    }

    /// The constant table.
    #[inline(always)]
    pub fn constants_ptr(self) -> *const Value {
        match self.constants_block() {
            Some(k) => k.as_ptr() as *const Value,
            None => std::ptr::null(),
        }
    }

    /// Constant `i`.
    pub fn constant(self, i: usize) -> Value {
        assert!(i < self.nconstants() as usize);
        // SAFETY: i < nconstants.
        unsafe { *self.constants_ptr().add(i) }
    }

    /// Nested prototype `i`.
    pub fn child(self, i: usize) -> ProtoRef {
        assert!(i < self.nprotos() as usize);
        // SAFETY: i < nprotos; a finished prototype has every child installed.
        unsafe {
            (*(self.protos_block().expect("protos").as_ptr() as *const Option<ProtoRef>).add(i))
                .expect("child")
        }
    }

    /// Source line of instruction `pc`.
    pub fn line(self, pc: usize) -> u32 {
        if pc >= self.code_len() {
            return 0;
        }
        // SAFETY: pc < code_len, and line_info has code_len entries.
        unsafe { *(self.line_info_block().expect("lines").as_ptr() as *const u32).add(pc) }
    }

    /// 5.1's chunk name (`@file`, `=name`, or the code itself): `debug.getinfo`'s
    /// `source`; messages show its `compiler::chunk_id`.
    pub fn source(self) -> LuaStr {
        self.source_field()
    }

    /// Line of the `function` keyword (0 for a main chunk).
    pub fn line_defined(self) -> u32 {
        self.line_defined_field()
    }

    /// Line of the function's `end` (0 for a main chunk).
    pub fn last_line_defined(self) -> u32 {
        self.last_line_defined_field()
    }

    /// Number of fixed parameters.
    #[inline(always)]
    pub fn num_params(self) -> usize {
        usize::from(self.num_params_field())
    }

    /// Whether the function takes `...`.
    #[inline(always)]
    pub fn is_vararg(self) -> bool {
        self.is_vararg_field()
    }

    /// Whether the vararg function wants the 5.1 `arg` table.
    pub fn needs_arg(self) -> bool {
        self.needs_arg_field()
    }

    /// The end of the registers a call without varargs sets to nil where no argument
    /// set them: the parameters and the registers `0..nil_registers` that the code
    /// expects nil at entry (see `compiler::Proto::nil_registers`).
    #[inline(always)]
    pub fn entry_nil_end(self) -> usize {
        usize::from(self.entry_nil_end_field())
    }

    /// Registers the function needs.
    #[inline(always)]
    pub fn max_stack(self) -> usize {
        usize::from(self.max_stack_field())
    }

    /// Number of upvalues of closures of this prototype.
    #[inline(always)]
    pub fn nupvalues(self) -> usize {
        usize::from(self.nupvalues_field())
    }

    /// Rebuilds the compiler's view of this function (code, constants, debug names, and
    /// the upvalue counts of nested functions, which `CLOSURE` decoding needs) so
    /// the compiler's debug helpers can name variables in error messages. Only runs when
    /// an error is being reported.
    pub fn debug_view(self) -> compiler::Proto {
        self.view(false)
    }

    /// The whole prototype tree in the compiler's form, for `string.dump`.
    pub fn full_view(self) -> compiler::Proto {
        self.view(true)
    }

    /// The compiler's form of this prototype; nested prototypes are complete when
    /// `deep`, else stubs that only carry their upvalue counts.
    fn view(self, deep: bool) -> compiler::Proto {
        let mut out =
            compiler::Proto::new(&self.source().to_str_lossy(), self.line_defined_field());
        out.last_line_defined = self.last_line_defined_field();
        out.num_params = self.num_params_field();
        out.is_vararg = self.is_vararg_field();
        out.needs_arg = self.needs_arg_field();
        out.max_stack_size = self.max_stack_field();
        out.nil_registers = self.nil_registers_field();
        out.code = (0..self.code_len()).map(|i| self.instruction(i)).collect();
        out.line_info = (0..self.code_len()).map(|i| self.line(i)).collect();
        out.constants = (0..self.nconstants() as usize)
            .map(|i| match self.constant(i) {
                Value::Boolean(b) => compiler::Constant::Boolean(b),
                Value::Number(n) => compiler::Constant::Number(n),
                Value::String(s) => compiler::Constant::String(s.as_bytes().to_vec()),
                _ => compiler::Constant::Nil,
            })
            .collect();
        out.protos = (0..self.nprotos() as usize)
            .map(|i| {
                let child = self.child(i);
                if deep {
                    return child.view(true);
                }
                let mut stub = compiler::Proto::new(&out.source, child.line_defined());
                stub.upvalue_names = vec![String::new(); child.nupvalues()];
                stub
            })
            .collect();
        let locals = self.local_vars_block().map(|b| b.as_ptr() as *const LocVar);
        out.local_vars = (0..self.nlocals() as usize)
            .map(|i| {
                // SAFETY: i < nlocals, inside the installed locals block.
                let var = unsafe { *locals.expect("locals").add(i) };
                compiler::LocalVar {
                    name: var.name.map(|s| s.to_str_lossy()).unwrap_or_default(),
                    start_pc: var.start_pc,
                    end_pc: var.end_pc,
                }
            })
            .collect();
        let names = self
            .upvalue_names_block()
            .map(|b| b.as_ptr() as *const Option<LuaStr>);
        out.upvalue_names = (0..self.nupvalue_names() as usize)
            .map(|i| {
                // SAFETY: i < nupvalue_names, inside the installed names block.
                let name = unsafe { *names.expect("names").add(i) };
                name.map(|s| s.to_str_lossy()).unwrap_or_default()
            })
            .collect();
        out
    }

    /// Reports the blocks the prototype owns (its own fields only: it may be dead).
    pub(crate) fn owned_leaves<F: FnMut(ObjectRef)>(self, f: &mut F) {
        [
            self.code_block(),
            self.line_info_block(),
            self.constants_block(),
            self.protos_block(),
            self.local_vars_block(),
            self.upvalue_names_block(),
        ]
        .into_iter()
        .flatten()
        .for_each(f);
    }

    pub(crate) fn trace<T: Tracer>(self, tracer: &mut T) {
        tracer.mark(self.source_field().0);
        for block in [self.code_block(), self.line_info_block()]
            .into_iter()
            .flatten()
        {
            tracer.mark(block);
        }
        if let Some(k) = self.constants_block() {
            tracer.mark(k);
            for i in 0..self.nconstants() as usize {
                self.constant(i).trace(tracer);
            }
        }
        if let Some(children) = self.protos_block() {
            tracer.mark(children);
            let base = children.as_ptr() as *const Option<ProtoRef>;
            for i in 0..self.nprotos() as usize {
                // SAFETY: i < nprotos, inside the children block.
                if let Some(c) = unsafe { *base.add(i) } {
                    tracer.mark(c.0);
                }
            }
        }
        if let Some(locals) = self.local_vars_block() {
            tracer.mark(locals);
            let base = locals.as_ptr() as *const LocVar;
            for i in 0..self.nlocals() as usize {
                // SAFETY: i < nlocals, inside the locals block.
                if let Some(name) = unsafe { (*base.add(i)).name } {
                    tracer.mark(name.0);
                }
            }
        }
        if let Some(names) = self.upvalue_names_block() {
            tracer.mark(names);
            let base = names.as_ptr() as *const Option<LuaStr>;
            for i in 0..self.nupvalue_names() as usize {
                // SAFETY: i < nupvalue_names, inside the names block.
                if let Some(name) = unsafe { *base.add(i) } {
                    tracer.mark(name.0);
                }
            }
        }
    }
}

/// A leaf block holding a copy of `words` (code or line numbers).
fn copy_words<C: Collector<LuaModel>>(
    heap: &mut Heap<C>,
    roots: &mut VmRoots,
    words: &[u32],
) -> Result<ObjectRef, OutOfMemory> {
    let block = heap.alloc_owned_leaf(words.len().max(1) * 4, roots)?;
    // SAFETY: the fresh block holds at least words.len() u32s.
    unsafe {
        std::ptr::copy_nonoverlapping(words.as_ptr(), block.as_ptr() as *mut u32, words.len())
    };
    Ok(block)
}

/// A leaf block of `n` copies of `fill`, or `None` when `n` is 0.
fn alloc_filled<C: Collector<LuaModel>, T: Copy>(
    heap: &mut Heap<C>,
    roots: &mut VmRoots,
    n: usize,
    fill: T,
) -> Result<Option<ObjectRef>, OutOfMemory> {
    if n == 0 {
        return Ok(None);
    }
    let block = heap.alloc_owned_leaf(n * std::mem::size_of::<T>(), roots)?;
    let p = block.as_ptr() as *mut T;
    // SAFETY: the fresh block holds n values of T (heap blocks are 16-byte aligned).
    unsafe {
        for i in 0..n {
            p.add(i).write(fill);
        }
    }
    Ok(Some(block))
}
