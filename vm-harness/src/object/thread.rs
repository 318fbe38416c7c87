//! Threads: a coroutine's (or the main program's) value stack and call frames, each a
//! leaf block owned by the thread object.
//!
//! Invariants:
//! - Every stack slot holds a value that is safe to trace: no reference in it points to
//!   a freed object. Slots at and above `clean_from` are nil, and `clean_from` is at
//!   least the *extent*, `max(top, max frame.top)`: whoever writes a slot at or above
//!   it raises it first (`set`, `set_top`; a Lua frame's entry moves `top` to the frame
//!   top before its code runs). Below it, slots may be stale, left by returned frames or
//!   not yet written by the running code, which writes a register before reading it.
//! - Only the slots below the *live limit* are traced: `top`, or the innermost frame's
//!   top while a Lua function runs there. Tracing sets the slots from the live limit to
//!   `clean_from` to nil, as 5.1's `traversestack` and 5.4's atomic phase do, and
//!   lowers `clean_from` to the extent. This is what keeps stale slots safe: an object
//!   is freed only if its collection's last trace of the stack did not reach it, and
//!   that trace cleared every slot that held it and was not traced; whatever is written
//!   afterwards was reachable then and survives that collection. It also keeps dead
//!   registers from holding garbage (and weak entries) until overwritten. The running
//!   frame's stale registers are traced: at worst they keep garbage one cycle longer.
//! - Open upvalues of this thread point into the current stack block; growing the stack
//!   re-points them.
//! - Frames are plain data (indices, pc, counts): the references they describe are in
//!   the stack.
//!
//! Write barrier (see `crate::heap`): threads are the VM's stacks (`LuaModel::is_stack`),
//! so stores into the running thread's value slots (`set`, `fill_nil`, the interpreter's
//! registers) and frames need no barrier: incremental collectors trace it again, with
//! every field, in the atomic phase. Any other thread's stack takes `Heap::barrier`
//! before such a store, and every thread takes it when it stops running
//! (`vm::coroutine`). The header's reference fields run
//! `Heap::barrier` on the thread anyway, since they change rarely: the stack and frame
//! blocks installed when they grow (`ensure_stack`, `grow_frames`) and the head of the
//! open-upvalue list (`set_open_upvalues`). Status, top, frame count and native-call
//! depth are plain data, as is the hook state, except the hook function, a header
//! reference set with the barrier (`set_hook`). There are no other fields: no resumer
//! link (each resumer's
//! stack holds the coroutine it resumed, a chain the roots start at the main thread)
//! and no error value (a failed coroutine's is in the root `VmRoots::error_value`).

use gc_core::{Collector, GcHeader, ObjectRef, OutOfMemory, Tracer};

use super::KIND_THREAD;
use crate::heap::Heap;
use crate::model::LuaModel;
use crate::object::upvalue::UpvalRef;
use crate::roots::RootStack;
use crate::value::Value;

/// A reference to a thread.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
#[repr(transparent)]
pub struct ThreadRef(pub(crate) ObjectRef);

/// One activation record (5.1's `CallInfo`).
#[repr(C)]
#[derive(Copy, Clone, Debug)]
pub struct Frame {
    /// Stack index of the called function.
    pub func: u32,
    /// Stack index of the first register (first argument for natives).
    pub base: u32,
    /// End of the frame's registers (Lua) or of its arguments at entry (native).
    pub top: u32,
    /// Lua frames: the address of the next instruction (0 before the first), saved
    /// whenever control leaves the interpreter loop or an error may be raised; a return
    /// resumes the frame there without loading its closure, prototype and code first.
    /// Only the address is saved, one store: the index (`pc`) is computed when asked
    /// for. An address, not a reference: the closure in the function slot keeps the
    /// code block alive, and blocks do not move.
    pub resume: usize,
    /// Number of results the caller wants, -1 for all.
    pub nresults: i32,
    /// Calls lost to tail calls at this level (for error levels and tracebacks).
    pub tailcalls: u16,
    /// Whether the frame runs a Lua function.
    pub is_lua: bool,
}

impl Frame {
    /// Lua frames: the index of the next instruction (5.1's `savedpc`), given `code`,
    /// the frame's prototype's code.
    pub fn pc(&self, code: *const u32) -> usize {
        if self.resume == 0 {
            0
        } else {
            (self.resume - code as usize) / std::mem::size_of::<u32>()
        }
    }
}

/// A coroutine's status, as `coroutine.status` reports it.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Status {
    /// Created and not started, or yielded.
    Suspended,
    /// Running now.
    Running,
    /// Resumed another coroutine and waits for it.
    Normal,
    /// Returned or failed.
    Dead,
}

#[repr(C)]
struct Thread {
    header: GcHeader,
    stack: Option<ObjectRef>,
    frames: Option<ObjectRef>,
    open_upvalues: Option<UpvalRef>,
    stack_cap: u32,
    top: u32,
    frames_cap: u32,
    nframes: u32,
    base_ccalls: u32,
    /// Slots from here up are nil (module invariant).
    clean_from: u32,
    status: Status,
    /// The `debug.sethook` function, nil when none.
    hook: Value,
    /// Which events call the hook: `HOOK_*` bits (5.1's `hookmask`).
    hook_mask: u8,
    /// Whether hooks may run: false while one runs (5.1's `allowhook`).
    allow_hook: bool,
    /// Instructions between count events (5.1's `basehookcount`).
    base_hook_count: u32,
    /// Instructions left before the next count event (5.1's `hookcount`).
    hook_count: u32,
}

/// Hook mask bit: function calls.
pub const HOOK_CALL: u8 = 1;
/// Hook mask bit: function returns.
pub const HOOK_RETURN: u8 = 2;
/// Hook mask bit: new lines.
pub const HOOK_LINE: u8 = 4;
/// Hook mask bit: every `base_hook_count` instructions.
pub const HOOK_COUNT: u8 = 8;

/// Initial stack slots (5.1's `BASIC_STACK_SIZE`).
const INITIAL_STACK: usize = 40;
/// Initial call frames.
const INITIAL_FRAMES: usize = 8;

impl ThreadRef {
    #[inline(always)]
    fn raw(self) -> *mut Thread {
        self.0.as_ptr() as *mut Thread
    }

    raw_fields! {
        stack: Option<ObjectRef>, stack_block, set_stack_block;
        frames: Option<ObjectRef>, frames_block, set_frames_block;
        open_upvalues: Option<UpvalRef>, open_upvalues_field, set_open_upvalues_field;
        stack_cap: u32, stack_cap_field, set_stack_cap;
        top: u32, top_field, set_top_field;
        frames_cap: u32, frames_cap, set_frames_cap;
        nframes: u32, nframes_field, set_nframes;
        base_ccalls: u32, base_ccalls_field, set_base_ccalls_field;
        clean_from: u32, clean_from, set_clean_from;
        status: Status, status_field, set_status_field;
        hook: Value, hook_field, set_hook_field;
        hook_mask: u8, hook_mask_field, set_hook_mask;
        allow_hook: bool, allow_hook_field, set_allow_hook_field;
        base_hook_count: u32, base_hook_count_field, set_base_hook_count;
        hook_count: u32, hook_count, set_hook_count;
    }

    /// A new thread with an empty stack and no frames.
    pub fn new<C: Collector<LuaModel>, R: RootStack>(
        heap: &mut Heap<C>,
        roots: &mut R,
    ) -> Result<ThreadRef, OutOfMemory> {
        let obj = heap.alloc_object(KIND_THREAD, std::mem::size_of::<Thread>(), roots)?;
        let thread = ThreadRef(obj);
        // SAFETY: a fresh thread-sized block; the fields after the header are written
        // before the next allocation.
        unsafe {
            let p = thread.raw();
            std::ptr::addr_of_mut!((*p).stack).write(None);
            std::ptr::addr_of_mut!((*p).frames).write(None);
            std::ptr::addr_of_mut!((*p).open_upvalues).write(None);
            std::ptr::addr_of_mut!((*p).stack_cap).write(0);
            std::ptr::addr_of_mut!((*p).top).write(0);
            std::ptr::addr_of_mut!((*p).frames_cap).write(0);
            std::ptr::addr_of_mut!((*p).nframes).write(0);
            std::ptr::addr_of_mut!((*p).base_ccalls).write(0);
            std::ptr::addr_of_mut!((*p).clean_from).write(0);
            std::ptr::addr_of_mut!((*p).status).write(Status::Suspended);
            std::ptr::addr_of_mut!((*p).hook).write(Value::Nil);
            std::ptr::addr_of_mut!((*p).hook_mask).write(0);
            std::ptr::addr_of_mut!((*p).allow_hook).write(true);
            std::ptr::addr_of_mut!((*p).base_hook_count).write(0);
            std::ptr::addr_of_mut!((*p).hook_count).write(0);
        }
        roots.temps().push(Value::Thread(thread));
        let result = thread
            .ensure_stack(heap, roots, INITIAL_STACK)
            .and_then(|()| thread.grow_frames(heap, roots, INITIAL_FRAMES));
        roots.temps().pop();
        result.map(|()| thread)
    }

    /// The first stack slot. Valid until the stack grows (`ensure_stack`).
    #[inline(always)]
    pub fn stack_ptr(self) -> *mut Value {
        // SAFETY: `new` installs the stack block before returning the thread.
        unsafe { self.stack_block().unwrap_unchecked().as_ptr() as *mut Value }
    }

    /// The address of stack slot `index` (below the capacity).
    #[inline(always)]
    pub fn slot_ptr(self, index: usize) -> *mut Value {
        debug_assert!(index < self.stack_cap());
        // SAFETY: index is below the capacity, so inside the stack block.
        unsafe { self.stack_ptr().add(index) }
    }

    /// Sets slots `from..to` (below the capacity) to nil, with whole-value stores
    /// (`Value::write_nil`): later 16-byte loads of these slots do not stall on them.
    #[inline(always)]
    pub fn fill_nil(self, from: usize, to: usize) {
        debug_assert!(to <= self.stack_cap());
        let stack = self.stack_ptr();
        for i in from..to {
            // SAFETY: i < to <= capacity.
            unsafe { Value::write_nil(stack.add(i)) };
        }
    }

    /// Reads stack slot `index` (below the capacity).
    #[inline(always)]
    pub fn get(self, index: usize) -> Value {
        assert!(index < self.stack_cap());
        // SAFETY: index is below the capacity and the slot is initialised (extent rule;
        // slots above the extent are only read after being written).
        unsafe { *self.stack_ptr().add(index) }
    }

    /// Writes stack slot `index` (below the capacity). Stacks need no write barrier.
    #[inline(always)]
    pub fn set(self, index: usize, value: Value) {
        assert!(index < self.stack_cap());
        self.raise_clean_from(index + 1);
        // SAFETY: index is below the capacity.
        unsafe { *self.stack_ptr().add(index) = value }
    }

    /// Number of stack slots.
    #[inline(always)]
    pub fn stack_cap(self) -> usize {
        self.stack_cap_field() as usize
    }

    /// The first free slot (meaningful in native frames and after multiple results).
    #[inline(always)]
    pub fn top(self) -> usize {
        self.top_field() as usize
    }

    /// Moves `top`. The slots below it hold safe values (module invariant) but not
    /// necessarily nil: `Vm::set_top` is the nil-filling form.
    #[inline(always)]
    pub fn set_top(self, top: usize) {
        debug_assert!(top <= self.stack_cap());
        self.set_top_field(top as u32);
        self.raise_clean_from(top);
    }

    /// Records that slots below `end` may be written (see the module invariant).
    #[inline(always)]
    fn raise_clean_from(self, end: usize) {
        if end as u32 > self.clean_from() {
            self.set_clean_from(end as u32);
        }
    }

    /// Makes sure the stack has at least `needed` slots, moving it if necessary. The new
    /// slots are nil; open upvalues follow the move.
    pub fn ensure_stack<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        needed: usize,
    ) -> Result<(), OutOfMemory> {
        let old_cap = self.stack_cap();
        if needed <= old_cap {
            return Ok(());
        }
        let cap = needed.max(old_cap * 2);
        let old = if old_cap > 0 {
            self.stack_ptr() as *const Value
        } else {
            std::ptr::null()
        };
        // SAFETY: the old stack block (if any) holds old_cap values and stays installed
        // in this thread, which the caller keeps reachable.
        let block = unsafe { heap.alloc_values_from(old, old_cap, cap, roots)? };
        let new = block.as_ptr() as *mut Value;
        // Not needed for a stack (see the module docs), but cheap on this rare path.
        heap.barrier(self.0);
        let old_block = self.stack_block();
        self.set_stack_block(Some(block));
        self.set_stack_cap(cap as u32);
        let mut uv = self.open_upvalues();
        while let Some(u) = uv {
            // SAFETY: `u` is an open upvalue of this thread, so its slot is in the old
            // block, and `new` is its new stack block, holding every slot the old one did.
            unsafe { u.repoint(old, new) };
            uv = u.next();
        }
        if let Some(old) = old_block {
            // SAFETY: the values are copied, the thread and its open upvalues point into
            // the new block; nothing refers to the old one.
            unsafe { heap.free_owned_leaf(old) };
        }
        Ok(())
    }

    /// Number of frames.
    #[inline(always)]
    pub fn nframes(self) -> usize {
        self.nframes_field() as usize
    }

    /// The address of frame `i`, which must be below `nframes`.
    #[inline(always)]
    fn frame_ptr(self, i: usize) -> *mut Frame {
        debug_assert!(i < self.nframes());
        // SAFETY: `new` installs the frames block before returning the thread, so it is
        // never absent afterwards; i < nframes <= frames_cap, inside the block.
        unsafe { (self.frames_block().unwrap_unchecked().as_ptr() as *mut Frame).add(i) }
    }

    /// Frame `i` (0 is the bottom), copied out.
    #[inline(always)]
    pub fn frame(self, i: usize) -> Frame {
        assert!(i < self.nframes());
        // SAFETY: an initialised frame of this live thread.
        unsafe { self.frame_ptr(i).read() }
    }

    /// The innermost frame's address, for the interpreter's hot paths, which read and
    /// write its fields through it. It is valid until a frame is pushed (which may move
    /// the frame block) or the thread dies; it is a raw pointer, so holding it past that
    /// is the caller's `unsafe` to answer for.
    ///
    /// # Safety
    /// The thread must have at least one frame.
    #[inline(always)]
    pub unsafe fn top_frame_unchecked(self) -> *mut Frame {
        self.frame_ptr(self.nframes() - 1)
    }

    /// The innermost frame, copied out.
    #[inline(always)]
    pub fn current_frame(self) -> Frame {
        assert!(self.nframes() > 0);
        // SAFETY: the innermost frame of this live thread, initialised.
        unsafe { self.frame_ptr(self.nframes() - 1).read() }
    }

    /// Replaces the innermost frame.
    #[inline(always)]
    pub fn set_current_frame(self, frame: Frame) {
        assert!(self.nframes() > 0);
        // SAFETY: an initialised frame of this live thread; frames are plain data.
        unsafe { self.frame_ptr(self.nframes() - 1).write(frame) }
    }

    fn grow_frames<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        cap: usize,
    ) -> Result<(), OutOfMemory> {
        let block = heap.alloc_owned_leaf(cap * std::mem::size_of::<Frame>(), roots)?;
        // As in `ensure_stack`: not needed for a stack, cheap on this rare path.
        heap.barrier(self.0);
        let old_block = self.frames_block();
        self.set_frames_block(Some(block));
        self.set_frames_cap(cap as u32);
        if let Some(old) = old_block {
            // SAFETY: the old block holds nframes <= cap frames, copied into the fresh
            // one; the thread now holds the new block, so nothing refers to the old one.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    old.as_ptr() as *const Frame,
                    block.as_ptr() as *mut Frame,
                    self.nframes(),
                );
                heap.free_owned_leaf(old);
            }
        }
        Ok(())
    }

    /// Pushes a frame, growing the frame block if needed. Returns the frame's address,
    /// as `top_frame_unchecked` would.
    #[inline]
    pub fn push_frame<C: Collector<LuaModel>, R: RootStack>(
        self,
        heap: &mut Heap<C>,
        roots: &mut R,
        frame: Frame,
    ) -> Result<*mut Frame, OutOfMemory> {
        if self.nframes_field() == self.frames_cap() {
            let cap = self.frames_cap() as usize * 2;
            self.grow_frames(heap, roots, cap)?;
        }
        let n = self.nframes_field();
        self.set_nframes(n + 1);
        let ptr = self.frame_ptr(n as usize);
        // SAFETY: frame n is inside the frame block (n < frames_cap), just counted.
        unsafe { ptr.write(frame) };
        Ok(ptr)
    }

    /// Pops the innermost frame.
    #[inline(always)]
    pub fn pop_frame(self) {
        self.set_nframes(self.nframes_field() - 1);
    }

    /// Drops frames down to `n`.
    pub fn truncate_frames(self, n: usize) {
        self.set_nframes(self.nframes_field().min(n as u32));
    }

    /// The coroutine status.
    pub fn status(self) -> Status {
        self.status_field()
    }

    /// Sets the coroutine status.
    pub fn set_status(self, status: Status) {
        self.set_status_field(status);
    }

    /// The VM's native-call depth when this coroutine was last resumed: a yield is only
    /// possible when no native call is pending above that.
    pub fn base_ccalls(self) -> u32 {
        self.base_ccalls_field()
    }

    /// Records the native-call depth at resume.
    pub fn set_base_ccalls(self, n: u32) {
        self.set_base_ccalls_field(n);
    }

    /// The hook function, nil when none.
    pub fn hook(self) -> Value {
        self.hook_field()
    }

    /// Which events call the hook (`HOOK_*` bits); 0 when there is no hook.
    #[inline(always)]
    pub fn hook_mask(self) -> u8 {
        self.hook_mask_field()
    }

    /// Instructions between count events (0: no count events).
    pub fn base_hook_count(self) -> u32 {
        self.base_hook_count_field()
    }

    /// Installs a hook (5.1's `lua_sethook`, and `ldblib`'s record of the function):
    /// `hook` is called for the events in `mask`, every `count` instructions for
    /// `HOOK_COUNT`. A nil hook turns hooks off; with an empty mask the function is
    /// kept (`debug.gethook` returns it) but never called.
    pub fn set_hook<C: Collector<LuaModel>>(
        self,
        heap: &mut Heap<C>,
        hook: Value,
        mask: u8,
        count: u32,
    ) {
        let mask = if hook.is_nil() { 0 } else { mask };
        heap.barrier(self.0);
        self.set_hook_field(hook);
        self.set_hook_mask(mask);
        self.set_base_hook_count(count);
        self.set_hook_count(count);
    }

    /// Counts one instruction for the count hook; true when a count event is due (and
    /// the count starts again).
    #[inline(always)]
    pub fn tick_hook_count(self) -> bool {
        let count = self.hook_count().wrapping_sub(1);
        if count == 0 {
            self.set_hook_count(self.base_hook_count_field());
            true
        } else {
            self.set_hook_count(count);
            false
        }
    }

    /// Whether hooks may run now (none is running on this thread).
    pub fn allow_hook(self) -> bool {
        self.allow_hook_field()
    }

    /// Blocks (`false`) or allows hooks again.
    pub fn set_allow_hook(self, allow: bool) {
        self.set_allow_hook_field(allow);
    }

    /// The head of the open-upvalue list (highest slot first).
    #[inline(always)]
    pub fn open_upvalues(self) -> Option<UpvalRef> {
        self.open_upvalues_field()
    }

    /// Replaces the head of the open-upvalue list.
    #[inline(always)]
    pub fn set_open_upvalues<C: Collector<LuaModel>>(
        self,
        heap: &mut Heap<C>,
        head: Option<UpvalRef>,
    ) {
        heap.barrier(self.0);
        self.set_open_upvalues_field(head);
    }

    /// The traced extent of the stack (see the module invariant).
    pub fn extent(self) -> usize {
        let mut limit = self.top();
        for i in 0..self.nframes() {
            limit = limit.max(self.frame(i).top as usize);
        }
        limit.min(self.stack_cap())
    }

    /// The slots holding live values (see the module invariant).
    fn live_limit(self) -> usize {
        let top = self.top();
        let limit = match self.nframes() {
            0 => top,
            n => {
                let innermost = self.frame(n - 1);
                if innermost.is_lua {
                    top.max(innermost.top as usize)
                } else {
                    top
                }
            }
        };
        limit.min(self.stack_cap())
    }

    /// Reports the stack and frame blocks the thread owns (its own fields only: it may be
    /// dead).
    pub(crate) fn owned_leaves<F: FnMut(ObjectRef)>(self, f: &mut F) {
        self.stack_block()
            .into_iter()
            .chain(self.frames_block())
            .for_each(f);
    }

    pub(crate) fn trace<T: Tracer>(self, tracer: &mut T) {
        if let Some(stack) = self.stack_block() {
            tracer.mark(stack);
            let base = stack.as_ptr() as *mut Value;
            let live = self.live_limit();
            for i in 0..live {
                // SAFETY: i is below the live limit, which is below the capacity.
                unsafe { (*base.add(i)).trace(tracer) };
            }
            let extent = self.extent();
            let clean_from = (self.clean_from() as usize)
                .max(extent)
                .min(self.stack_cap());
            for i in live..clean_from {
                // SAFETY: i is below the capacity; the thread is traced by one marker,
                // and its dead slots are nobody else's.
                unsafe { Value::write_nil(base.add(i)) };
            }
            self.set_clean_from(extent.max(live) as u32);
        }
        if let Some(frames) = self.frames_block() {
            tracer.mark(frames);
        }
        if let Some(uv) = self.open_upvalues() {
            tracer.mark(uv.0);
        }
        self.hook().trace(tracer);
    }
}
