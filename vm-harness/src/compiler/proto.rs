//! Function prototypes: the compiler's output, free of any heap or collector.
//!
//! Invariants (all established by the code generator, relied on by the VM):
//! - `code` and `line_info` have the same length; `code` ends with `RETURN 0 1`.
//! - Every register an instruction touches is below `max_stack_size`.
//! - Upvalue capture follows Lua 5.1 exactly, with no separate descriptor list: a
//!   `CLOSURE A Bx` is followed by `protos[Bx].upvalue_names.len()` pseudo-instructions,
//!   one per upvalue of the child in order, each `MOVE 0 B` (capture the enclosing
//!   function's register B) or `GETUPVAL 0 B` (share the enclosing function's upvalue B).
//!   They are never executed on their own; the VM consumes them with the `CLOSURE`.
//! - A vararg function other than the main chunk has an implicit local `arg` in register
//!   `num_params` (5.1's `LUA_COMPAT_VARARG`, as Debian's lua5.1 is built); when
//!   `needs_arg` is set the VM must store the table of extra arguments (with field `n`)
//!   there, as 5.1's `adjust_varargs` does; otherwise that register starts as nil.
//! - `local_vars` is in declaration order; the locals active at a pc are, in register
//!   order, those with `start_pc <= pc < end_pc`.

/// A constant of a function, as it appears in its constant table.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `nil` (only reachable through RK operands of comparisons and stores).
    Nil,
    /// `true` or `false`.
    Boolean(bool),
    /// A number; never NaN (constant folding refuses to produce one).
    Number(f64),
    /// A string: Lua strings are byte strings, not UTF-8.
    String(Vec<u8>),
}

/// Debug information for one local variable declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalVar {
    /// The variable's name; internal control variables use names such as
    /// `(for index)` that no program can write.
    pub name: String,
    /// First pc at which the variable is live.
    pub start_pc: u32,
    /// First pc at which it is dead again.
    pub end_pc: u32,
}

/// A compiled function: everything a VM needs to build a closure's prototype and to
/// report errors the way Lua 5.1 does.
#[derive(Clone, Debug, PartialEq)]
pub struct Proto {
    /// Chunk name as it is shown in messages (e.g. `script.lua`), shared by all
    /// functions of a chunk.
    pub source: String,
    /// Line of the `function` keyword; 0 for the main chunk.
    pub line_defined: u32,
    /// Line of the closing `end`; 0 for the main chunk.
    pub last_line_defined: u32,
    /// Number of fixed parameters (excluding the implicit `arg`).
    pub num_params: u8,
    /// Whether the function takes `...`; the main chunk always does.
    pub is_vararg: bool,
    /// 5.1's `VARARG_NEEDSARG`: a vararg function that never uses `...` gets its extra
    /// arguments as the table `arg`.
    pub needs_arg: bool,
    /// Number of registers the function needs (at least 2).
    pub max_stack_size: u8,
    /// Registers `0..nil_registers` the code expects to be nil at entry unless an
    /// argument set them: at function start the code generator leaves out a `LOADNIL`,
    /// as 5.1's does, relying on 5.1 entering every function with nil registers. The VM
    /// fills only these (and missing parameters), not the whole frame.
    pub nil_registers: u8,
    /// The instructions (see [`super::opcodes`]).
    pub code: Vec<u32>,
    /// Source line of each instruction.
    pub line_info: Vec<u32>,
    /// The constant table, indexed by `Bx` and by RK operands.
    pub constants: Vec<Constant>,
    /// Nested functions, indexed by `CLOSURE`'s `Bx`.
    pub protos: Vec<Proto>,
    /// Names of the upvalues, in upvalue index order; its length is the upvalue count.
    pub upvalue_names: Vec<String>,
    /// Local variable scopes, for debug names.
    pub local_vars: Vec<LocalVar>,
}

impl Proto {
    /// An empty prototype for a function being compiled; `max_stack_size` starts at 2
    /// because registers 0 and 1 are always valid in 5.1.
    pub fn new(source: &str, line_defined: u32) -> Self {
        Proto {
            source: source.to_owned(),
            line_defined,
            last_line_defined: 0,
            num_params: 0,
            is_vararg: false,
            needs_arg: false,
            max_stack_size: 2,
            nil_registers: 0,
            code: Vec::new(),
            line_info: Vec::new(),
            constants: Vec::new(),
            protos: Vec::new(),
            upvalue_names: Vec::new(),
            local_vars: Vec::new(),
        }
    }
}
