//! A grammar-aware generator of Lua 5.1 programs: the fuzzer's bytes, read through
//! `arbitrary`, become a syntax tree that renders as a program which mostly compiles,
//! so the fuzzer explores the VM and the collectors rather than the parser's errors.
//!
//! A program's observable output is what it passes to `emit`: numbers, strings,
//! booleans and nil as `tostring` gives them, other values by their type only, so the
//! output never shows an address. Nothing in the grammar depends on when objects are
//! collected (no weak tables, no `pairs` order, no `collectgarbage("count")`): the
//! output is the same under every collector, which is the cross-collector oracle.

use std::fmt::Write;

use arbitrary::Arbitrary;

/// Deepest nesting of expressions, and of blocks, that is rendered; deeper parts
/// render as `nil` and as nothing (the derived generator may nest as deep as the
/// input is long).
const MAX_DEPTH: usize = 8;

/// The most turns a `while` or `repeat` loop takes.
const LOOP_TURNS: u32 = 8;

/// The variables of a program: locals of the main chunk, so closures capture them.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Name {
    A,
    B,
    C,
    D,
    E,
}

impl Name {
    fn text(self) -> &'static str {
        match self {
            Name::A => "a",
            Name::B => "b",
            Name::C => "c",
            Name::D => "d",
            Name::E => "e",
        }
    }
}

/// String literals that exercise patterns, formats, conversions and metamethods.
const STRINGS: &[&str] = &[
    "", "a", "abc", "x y z", "10", " 0x1F ", "1e3", "-2.5", "%d", "%5.2f", "%s|%q", "%x", "(%w+)",
    "%a*", "[a-c]+", "^a", ".-", "%b()", "%f[%w]", "%1", "(", "%", "\\0", "\\n", "__index",
    "__add", "nan", "inf",
];

/// Field names, metamethod events among them.
const FIELDS: &[&str] = &[
    "x",
    "y",
    "n",
    "__index",
    "__newindex",
    "__call",
    "__add",
    "__sub",
    "__mul",
    "__div",
    "__mod",
    "__pow",
    "__unm",
    "__concat",
    "__len",
    "__eq",
    "__lt",
    "__le",
    "__tostring",
    "__metatable",
    "__gc",
];

/// Library functions a program calls, by their global path.
const LIBRARY: &[&str] = &[
    "string.rep",
    "string.sub",
    "string.format",
    "string.gsub",
    "string.find",
    "string.match",
    "string.gmatch",
    "string.byte",
    "string.char",
    "string.upper",
    "string.len",
    "string.reverse",
    "table.concat",
    "table.insert",
    "table.remove",
    "table.sort",
    "table.maxn",
    "tostring",
    "tonumber",
    "select",
    "type",
    "unpack",
    "rawget",
    "rawset",
    "rawequal",
    "setmetatable",
    "getmetatable",
    "error",
    "pcall",
    "assert",
    "math.floor",
    "math.max",
    "math.fmod",
    "math.huge",
    "bit.band",
    "bit.lshift",
    "bit.tohex",
    "coroutine.wrap",
    "coroutine.yield",
    "coroutine.create",
    "coroutine.resume",
    "coroutine.status",
    "loadstring",
    "setfenv",
    "getfenv",
    "string.dump",
    "newproxy",
    "next",
    "ipairs",
    "xpcall",
];

/// A program: a block run inside `pcall`, whose output is collected in `result`.
#[derive(Arbitrary, Debug)]
pub struct Program {
    body: Block,
}

#[derive(Arbitrary, Debug)]
struct Block(Vec<Stmt>);

#[derive(Arbitrary, Debug)]
enum Stmt {
    Assign(Name, Expr),
    Local(Name, Expr),
    SetIndex(Expr, Expr, Expr),
    Emit(Expr),
    Call(Expr, Vec<Expr>),
    If(Expr, Block, Block),
    NumFor(Name, i8, i8, Block),
    While(Expr, Block),
    Repeat(Block, Expr),
    Protected(Block),
    Collect(GcOp),
    Do(Block),
    Return(Vec<Expr>),
}

#[derive(Arbitrary, Debug)]
enum GcOp {
    Collect,
    Step(u8),
    SetPause(u8),
    SetStepmul(u8),
}

#[derive(Arbitrary, Debug)]
enum Expr {
    Nil,
    True,
    False,
    Int(i16),
    Real(i16, u8),
    Str(u8),
    Var(Name),
    Vararg,
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Table(Vec<Field>),
    Index(Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    Method(Box<Expr>, u8, Vec<Expr>),
    Function(Vec<Name>, bool, Block),
    Library(u8, Vec<Expr>),
}

#[derive(Arbitrary, Debug)]
enum Field {
    Positional(Expr),
    Named(u8, Expr),
    Keyed(Expr, Expr),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum UnOp {
    Neg,
    Not,
    Len,
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

impl Program {
    /// The program's Lua source.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "local a, b, c, d, e\n\
             local out, n = {}, 0\n\
             local function emit(v)\n\
             \x20 local t = type(v)\n\
             \x20 n = n + 1\n\
             \x20 if t == 'number' or t == 'string' or t == 'boolean' or t == 'nil' then\n\
             \x20   out[n] = tostring(v)\n\
             \x20 else\n\
             \x20   out[n] = t\n\
             \x20 end\n\
             end\n\
             local ok, err = pcall(function(...)\n",
        );
        self.body.render(&mut out, 1);
        // Natives only from here on: a spent budget does not stop them.
        out.push_str(
            "end)\n\
             out[#out + 1] = tostring(ok)\n\
             out[#out + 1] = type(err) == 'string' and err or type(err)\n\
             result = table.concat(out, '\\n')\n",
        );
        out
    }
}

impl Block {
    fn render(&self, out: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for stmt in &self.0 {
            stmt.render(out, depth);
            if matches!(stmt, Stmt::Return(_)) {
                // Lua 5.1: a return ends its block.
                break;
            }
        }
    }
}

impl Stmt {
    fn render(&self, out: &mut String, depth: usize) {
        let d = depth + 1;
        match self {
            Stmt::Assign(name, e) => {
                let _ = writeln!(out, "{} = {}", name.text(), e.text(d));
            }
            Stmt::Local(name, e) => {
                let _ = writeln!(out, "local {} = {}", name.text(), e.text(d));
            }
            Stmt::SetIndex(t, k, v) => {
                let _ = writeln!(
                    out,
                    "local _ = {}; _[{}] = {}",
                    t.text(d),
                    k.text(d),
                    v.text(d)
                );
            }
            Stmt::Emit(e) => {
                let _ = writeln!(out, "emit({})", e.text(d));
            }
            Stmt::Call(f, args) => {
                let _ = writeln!(out, "local _ = ({})({})", f.text(d), list(args, d));
            }
            Stmt::If(cond, then, otherwise) => {
                let _ = writeln!(out, "if {} then", cond.text(d));
                then.render(out, d);
                out.push_str("else\n");
                otherwise.render(out, d);
                out.push_str("end\n");
            }
            Stmt::NumFor(name, from, to, body) => {
                let _ = writeln!(out, "for {} = {from}, {to} do", name.text());
                body.render(out, d);
                out.push_str("end\n");
            }
            // `while` and `repeat` with at most LOOP_TURNS turns: their conditions are
            // mostly constant, and a loop that never ends only spends the budget.
            Stmt::While(cond, body) => {
                let _ = writeln!(
                    out,
                    "for _ = 1, {LOOP_TURNS} do if not {} then break end",
                    cond.text(d)
                );
                body.render(out, d);
                out.push_str("end\n");
            }
            Stmt::Repeat(body, cond) => {
                let _ = writeln!(out, "for _ = 1, {LOOP_TURNS} do");
                body.render(out, d);
                let _ = writeln!(out, "if {} then break end end", cond.text(d));
            }
            Stmt::Protected(body) => {
                out.push_str("emit(pcall(function(...)\n");
                body.render(out, d);
                out.push_str("end))\n");
            }
            Stmt::Collect(op) => {
                let _ = match op {
                    GcOp::Collect => writeln!(out, "collectgarbage()"),
                    GcOp::Step(k) => writeln!(out, "collectgarbage('step', {k})"),
                    GcOp::SetPause(p) => writeln!(out, "collectgarbage('setpause', {p})"),
                    GcOp::SetStepmul(p) => writeln!(out, "collectgarbage('setstepmul', {p})"),
                };
            }
            Stmt::Do(body) => {
                out.push_str("do\n");
                body.render(out, d);
                out.push_str("end\n");
            }
            Stmt::Return(values) => {
                let _ = writeln!(out, "do return {} end", list(values, d));
            }
        }
    }
}

fn list(exprs: &[Expr], depth: usize) -> String {
    exprs
        .iter()
        .map(|e| e.text(depth))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Expr {
    fn text(&self, depth: usize) -> String {
        if depth > MAX_DEPTH {
            return "nil".to_owned();
        }
        let d = depth + 1;
        match self {
            Expr::Nil => "nil".to_owned(),
            Expr::True => "true".to_owned(),
            Expr::False => "false".to_owned(),
            Expr::Int(i) => format!("({i})"),
            Expr::Real(m, e) => format!("({m}e{})", i16::from(*e % 40) - 20),
            Expr::Str(i) => format!("\"{}\"", pick(STRINGS, *i)),
            Expr::Var(name) => name.text().to_owned(),
            Expr::Vararg => "...".to_owned(),
            Expr::Binary(op, x, y) => {
                let op = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    BinOp::Div => "/",
                    BinOp::Mod => "%",
                    BinOp::Pow => "^",
                    BinOp::Concat => "..",
                    BinOp::Eq => "==",
                    BinOp::Ne => "~=",
                    BinOp::Lt => "<",
                    BinOp::Le => "<=",
                    BinOp::Gt => ">",
                    BinOp::Ge => ">=",
                    BinOp::And => "and",
                    BinOp::Or => "or",
                };
                format!("({} {op} {})", x.text(d), y.text(d))
            }
            Expr::Unary(op, x) => {
                let op = match op {
                    UnOp::Neg => "-",
                    UnOp::Not => "not ",
                    UnOp::Len => "#",
                };
                format!("({op}{})", x.text(d))
            }
            Expr::Table(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| match f {
                        Field::Positional(v) => v.text(d),
                        Field::Named(i, v) => format!("{} = {}", pick(FIELDS, *i), v.text(d)),
                        Field::Keyed(k, v) => format!("[{}] = {}", k.text(d), v.text(d)),
                    })
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }
            Expr::Index(t, k) => format!("({})[{}]", t.text(d), k.text(d)),
            Expr::Call(f, args) => format!("({})({})", f.text(d), list(args, d)),
            Expr::Method(obj, name, args) => {
                let method = pick(LIBRARY, *name);
                let method = method.strip_prefix("string.").unwrap_or("len");
                format!("({}):{method}({})", obj.text(d), list(args, d))
            }
            Expr::Function(params, vararg, body) => {
                let mut names: Vec<&str> = params.iter().map(|p| p.text()).collect();
                names.dedup();
                if *vararg {
                    names.push("...");
                }
                let mut text = format!("function({})\n", names.join(", "));
                body.render(&mut text, d);
                text.push_str("end");
                format!("({text})")
            }
            Expr::Library(i, args) => format!("{}({})", pick(LIBRARY, *i), list(args, d)),
        }
    }
}
