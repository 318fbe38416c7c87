//! Lua 5.1 pattern matching: a port of the matcher in 5.1.5's `lstrlib.c` (`match`,
//! `classEnd`, `singlematch`, `matchbalance`, `max_expand`, ...), explored in the same
//! order so that results, captures and errors are the same as lua5.1's.
//!
//! Invariants:
//! - A pattern ends at its first NUL byte, because the C matcher reads it as a C string
//!   (this is why `%z` exists). Reading past the end of the pattern or of the subject
//!   yields 0, as reading C's terminating NUL does (it is what `%f` sees at the end).
//! - Classes are C-locale `<ctype.h>` classes: bytes >= 0x80 belong to none of them.
//! - The matcher never recurses. Where C recurses, it pushes a backtracking frame on a heap
//!   stack of at most `MAX_BACKTRACK` frames, so no input can overflow the Rust stack.
//! - Errors are raised when the matcher reaches the faulty item, as in 5.1:
//!   `string.find("b", "a[")` is nil, `string.find("a", "a[")` is an error.

use std::fmt;
use std::ops::Range;

use super::c_string;
use super::number::number_to_string;

/// `LUA_MAXCAPTURES`.
const MAX_CAPTURES: usize = 32;

/// Most backtracking frames (C recursion levels of 5.1's `match`) a match may keep.
///
/// 5.1 has no limit and dies of a C stack overflow at about 110,000 levels with an 8 MiB
/// stack. Stopping well below that with "pattern too complex" makes pathological patterns
/// such as `string.rep("a?", 100000) .. string.rep("a", 100000)` against a long run of
/// `a`s fail fast. Each pending frame belongs to a distinct position of the pattern (the
/// matcher only moves forward in it), so every pattern shorter than 50,000 bytes behaves
/// exactly as in 5.1.
const MAX_BACKTRACK: usize = 50_000;

/// The bytes whose presence makes `string.find` use the matcher instead of a plain search
/// (`SPECIALS` in `lstrlib.c`).
const SPECIALS: &[u8] = b"^$*+?.([%-";

/// The value of one capture of a successful match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Capture {
    /// A `(...)` capture: the captured bytes of the subject.
    Bytes(Range<usize>),
    /// A `()` position capture: the 1-based Lua position it matched at (Lua pushes it as
    /// a number).
    Position(usize),
}

/// A successful match: what 5.1's matcher leaves in its `MatchState`, read in place from
/// the [`Matcher`] that found it (no copy per match).
#[derive(Clone, Copy, Debug)]
pub struct Match<'m> {
    /// Where the whole pattern matched in the subject.
    start: usize,
    end: usize,
    /// One entry per `(` of the pattern, in order. An unfinished one is a capture whose
    /// `)` the pattern never reached (as in `"(a"`): 5.1 accepts the match and only
    /// raises "unfinished capture" when that capture's value is asked for, which is why
    /// the accessors below return `Result`.
    captures: &'m [CaptureState],
}

/// A pattern error, carrying lua5.1's exact message. 5.1 raises every one of these with
/// a plain `luaL_error` (no "bad argument" prefix; the VM adds the caller's position as
/// `luaL_error` does).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError(pub String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatternError {}

/// The message of the error a matcher raises when it runs out of steps (see
/// [`Matcher::limit_steps`]); the VM turns it into its budget's error.
const OUT_OF_STEPS: &str = "pattern matching ran out of steps";

impl PatternError {
    /// Whether the matcher stopped because it ran out of steps, not because the pattern
    /// is malformed.
    pub fn is_out_of_steps(&self) -> bool {
        self.0 == OUT_OF_STEPS
    }
}

fn error<T>(message: &str) -> Result<T, PatternError> {
    Err(PatternError(message.to_owned()))
}

impl Match<'_> {
    /// The bytes of the subject that the whole pattern matched.
    pub fn whole(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The value of capture `index` (0-based), as 5.1's `push_onecapture` computes it:
    /// capture 0 of a pattern without captures is the whole match (what `%1` and a table
    /// replacement in `gsub` see); any other missing capture is "invalid capture index",
    /// an unclosed one "unfinished capture".
    pub fn capture(&self, index: usize) -> Result<Capture, PatternError> {
        match self.captures.get(index).map(|capture| capture.len) {
            Some(CaptureLen::Closed(len)) => {
                let init = self.captures[index].init;
                Ok(Capture::Bytes(init..init + len))
            }
            Some(CaptureLen::Position) => Ok(Capture::Position(self.captures[index].init + 1)),
            Some(CaptureLen::Unfinished) => error("unfinished capture"),
            None if index == 0 => Ok(Capture::Bytes(self.whole())),
            None => error("invalid capture index"),
        }
    }

    /// How many values `string.find` returns after the two positions: the captures,
    /// none when the pattern has none (5.1's `push_captures(ms, NULL, 0)`).
    pub fn ncaptures(&self) -> usize {
        self.captures.len()
    }

    /// How many values `string.match`, `string.gmatch` and a function replacement of
    /// `string.gsub` get: every capture, or the whole match (capture 0) when the pattern
    /// has none (5.1's `push_captures(ms, s, e)`).
    pub fn nvalues(&self) -> usize {
        self.captures.len().max(1)
    }
}

/// Whether `string.find` must use the matcher: false when the pattern has none of
/// `^$*+?.([%-` before its first NUL (5.1 checks with `strpbrk`, which stops there), in
/// which case 5.1 searches for the *whole* pattern, NULs included, with [`find_plain`].
/// A true fourth argument to `string.find` also selects the plain search.
pub fn has_specials(pattern: &[u8]) -> bool {
    c_string(pattern).iter().any(|b| SPECIALS.contains(b))
}

/// 5.1's `lmemfind`: the byte index of the first occurrence of `needle` in `subject` at
/// or after `init` (clamped to the end). An empty needle is found at `init` itself, so
/// `string.find("abc", "", 10)` is `4 3` in 5.1.
pub fn find_plain(subject: &[u8], needle: &[u8], init: usize) -> Option<usize> {
    let init = init.min(subject.len());
    if needle.is_empty() {
        return Some(init);
    }
    subject[init..]
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| init + offset)
}

/// Appends `gsub`'s expansion of a string `replacement` for match `m` to `out` (5.1's
/// `add_s`): `%0` is the whole match, `%1`-`%9` a capture (a position capture as its
/// number; `%1` is the whole match when the pattern has no capture), and `%` followed by
/// any other byte is that byte, so `%%` is `%`. A `%` ending the replacement copies the
/// NUL that ends the C string in 5.1: `gsub("abc", "b", "x%")` is `"ax\0c"`.
///
/// `out` never grows past `max_len` bytes (the VM's heap limit), and its memory is
/// reserved ahead of each write: `Ok(false)` when the expansion would pass the limit
/// or memory is refused (the caller fails as out of memory).
pub fn expand_replacement(
    replacement: &[u8],
    subject: &[u8],
    m: &Match,
    out: &mut Vec<u8>,
    max_len: usize,
) -> Result<bool, PatternError> {
    let mut append = |piece: &[u8]| {
        let fits = out.len().saturating_add(piece.len()) <= max_len
            && out.try_reserve(piece.len()).is_ok();
        if fits {
            out.extend_from_slice(piece);
        }
        fits
    };
    let mut bytes = replacement.iter();
    while let Some(&byte) = bytes.next() {
        let appended = if byte != b'%' {
            append(&[byte])
        } else {
            match bytes.next().copied().unwrap_or(0) {
                b'0' => append(&subject[m.whole()]),
                digit @ b'1'..=b'9' => match m.capture(usize::from(digit - b'1'))? {
                    Capture::Bytes(range) => append(&subject[range]),
                    Capture::Position(position) => {
                        append(number_to_string(position as f64).as_bytes())
                    }
                },
                other => append(&[other]),
            }
        };
        if !appended {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `match_class`: whether byte `c` belongs to the class named by the byte after a `%`.
/// Lower-case letters name C-locale classes, upper-case ones their complements; any other
/// byte stands for itself. Two table reads: it runs for every byte a class scans.
#[inline]
fn match_class(c: u8, class: u8) -> bool {
    let bit = CLASS_BIT[class as usize];
    if bit == 0 {
        return class == c;
    }
    (CLASS_MEMBERS[c as usize] & bit != 0) == class.is_ascii_lowercase()
}

/// The class letters, in the order of their bits in `CLASS_MEMBERS` and `CLASS_BIT`.
const CLASS_LETTERS: &[u8; 10] = b"acdlpsuwxz";

/// Whether byte `c` is in the C-locale class named by lower-case letter `class`; `None`
/// if `class` names no class.
const fn class_member(c: u8, class: u8) -> Option<bool> {
    Some(match class {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        // C's isspace, which unlike `is_ascii_whitespace` includes \v.
        b's' => c == b' ' || (c >= b'\t' && c <= b'\r'),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0,
        _ => return None,
    })
}

/// For each byte, the classes it belongs to: bit `i` for `CLASS_LETTERS[i]`.
const CLASS_MEMBERS: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut c = 0;
    while c < 256 {
        let mut i = 0;
        while i < CLASS_LETTERS.len() {
            if let Some(true) = class_member(c as u8, CLASS_LETTERS[i]) {
                table[c] |= 1 << i;
            }
            i += 1;
        }
        c += 1;
    }
    table
};

/// For each byte after a `%`, the bit of the class it names in either case; 0 if none.
const CLASS_BIT: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < CLASS_LETTERS.len() {
        let letter = CLASS_LETTERS[i];
        table[letter as usize] = 1 << i;
        table[letter.to_ascii_uppercase() as usize] = 1 << i;
        i += 1;
    }
    table
};

/// The `len` field of a capture in 5.1's `MatchState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CaptureLen {
    /// `CAP_UNFINISHED`: `(` seen, `)` not yet.
    Unfinished,
    /// `CAP_POSITION`: a `()` capture.
    Position,
    /// A closed capture of this many bytes.
    Closed(usize),
}

#[derive(Clone, Copy, Debug)]
struct CaptureState {
    init: usize,
    len: CaptureLen,
}

/// What a C recursion level of `match` would remember: an alternative to try, or a
/// capture change to undo, when the rest of the pattern fails.
enum Frame {
    /// `?` matched one byte; the alternative skips the item: match `(s, p)`.
    Optional { s: usize, p: usize },
    /// `max_expand` last tried `count` repetitions from `s`; the rest starts at `next`.
    Greedy { s: usize, count: usize, next: usize },
    /// `min_expand` last tried the rest at `s`; the item is `item..ep`.
    Lazy { s: usize, item: usize, ep: usize },
    /// `start_capture` opened a capture.
    OpenedCapture,
    /// `end_capture` closed this capture.
    ClosedCapture(usize),
}

/// The outcome of one step of the matcher.
enum Step {
    /// Go on matching pattern index `.1` at subject index `.0` (C's `goto init`).
    Next(usize, usize),
    /// The pattern ended: the match ends at this subject index.
    Matched(usize),
    /// This path failed: backtrack.
    Fail,
}

/// The memory of a finished matcher's backtracking stack, which a host keeps to lend to
/// its next matcher ([`Matcher::reuse`]): a program matching in a loop then allocates
/// no stack per call.
#[derive(Default)]
pub struct Backtrack(Vec<Frame>);

/// The most frames a [`Backtrack`] keeps the memory of: enough for the patterns of
/// ordinary programs, while a pathological one's deep stack is not held for ever.
const BACKTRACK_KEPT: usize = 1024;

/// 5.1's `MatchState` plus the backtracking stack that replaces C's recursion: one
/// pattern matched against one subject at as many positions as `string.gsub` and
/// `string.gmatch` try, the stack allocated once for all of them. After a successful
/// match, [`Matcher::matched`] reads its result in place.
pub struct Matcher<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    /// Whether the pattern began with a `^` that [`Matcher::anchorable`] took as an
    /// anchor (and removed from `pat`).
    anchored: bool,
    level: usize,
    captures: [CaptureState; MAX_CAPTURES],
    /// Where the last successful match started and ended.
    whole: Range<usize>,
    stack: Vec<Frame>,
    /// Steps (pattern items tried and alternatives taken) left before the matcher gives
    /// up: backtracking is exponential in the pattern's quantifiers, so a host with an
    /// instruction budget bounds it (see [`Matcher::limit_steps`]).
    steps_left: u64,
    /// The pattern's first item, `p..ep`, when every match must begin with one byte it
    /// matches (see [`Matcher::required_first_item`]): a start where it does not match
    /// fails at once, without running the matcher.
    first_item: Option<(usize, usize)>,
}

impl<'a> Matcher<'a> {
    /// A matcher of `pattern`, up to its first NUL (5.1's patterns are C strings),
    /// against `subject`.
    pub fn new(subject: &'a [u8], pattern: &'a [u8]) -> Self {
        Self::of_c_string(subject, c_string(pattern), false)
    }

    /// A matcher for `string.find`, `string.match` and `string.gsub`, which take a
    /// leading `^` of the pattern (up to its first NUL) as an anchor: it is removed, and
    /// [`Matcher::is_anchored`] reports it.
    pub fn anchorable(subject: &'a [u8], pattern: &'a [u8]) -> Self {
        match c_string(pattern).split_first() {
            Some((b'^', rest)) => Self::of_c_string(subject, rest, true),
            _ => Self::new(subject, pattern),
        }
    }

    /// A matcher of `pat`, already cut at its first NUL (and anchor).
    fn of_c_string(subject: &'a [u8], pat: &'a [u8], anchored: bool) -> Self {
        let mut matcher = Matcher {
            src: subject,
            pat,
            anchored,
            level: 0,
            captures: [CaptureState {
                init: 0,
                len: CaptureLen::Unfinished,
            }; MAX_CAPTURES],
            whole: 0..0,
            stack: Vec::new(),
            steps_left: u64::MAX,
            first_item: None,
        };
        matcher.first_item = matcher.required_first_item();
        matcher
    }

    /// The single-byte item every match must begin with, if the pattern has one: its
    /// first item after any opening captures (which consume nothing), when that item
    /// consumes exactly one byte first (no `*`, `?` or `-`, which may match nothing).
    /// None for anything else (position captures, `%b`, `%f`, back references, the end
    /// of the pattern, a malformed item whose error the matcher must raise where it
    /// reaches it, or more opening captures than allowed, an error too).
    fn required_first_item(&self) -> Option<(usize, usize)> {
        let mut p = 0;
        while self.pat_at(p) == b'(' && self.pat_at(p + 1) != b')' && p < MAX_CAPTURES {
            p += 1;
        }
        match (self.pat_at(p), self.pat_at(p + 1)) {
            (0 | b'(' | b')', _) => return None,
            (b'$', _) if p + 1 == self.pat.len() => return None,
            (b'%', b'b' | b'f' | b'0'..=b'9') => return None,
            _ => {}
        }
        let ep = self.class_end(p).ok()?;
        match self.pat_at(ep) {
            b'*' | b'?' | b'-' => None,
            _ => Some((p, ep)),
        }
    }

    /// Whether the pattern is anchored (see [`Matcher::anchorable`]).
    pub fn is_anchored(&self) -> bool {
        self.anchored
    }

    /// Takes over the memory of an earlier matcher's stack.
    pub fn reuse(&mut self, spare: Backtrack) {
        self.stack = spare.0;
    }

    /// The memory of this matcher's stack, for [`Matcher::reuse`] by the next one
    /// (none if it grew past [`BACKTRACK_KEPT`] frames).
    pub fn into_backtrack(mut self) -> Backtrack {
        if self.stack.capacity() > BACKTRACK_KEPT {
            return Backtrack::default();
        }
        self.stack.clear();
        Backtrack(self.stack)
    }

    /// Matches the pattern anchored at byte index `start`, as 5.1's `match` does for one
    /// position; false when it does not match there (or `start` is past the end of the
    /// subject). A match is then read with [`Matcher::matched`].
    ///
    /// A leading `^` left in the pattern is *not* an anchor here but a literal byte,
    /// exactly as in 5.1's `match`: that is what `string.gmatch` does with it in 5.1
    /// (`gmatch("^a^a", "^a")` yields `"^a"` twice). `string.gsub` honours it by
    /// matching an [`anchorable`](Matcher::anchorable) pattern at its first position
    /// only; `string.find`/`string.match` use [`Matcher::find`].
    pub fn match_at(&mut self, start: usize) -> Result<bool, PatternError> {
        if start > self.src.len() {
            return Ok(false);
        }
        self.run(start)
    }

    /// Searches the subject from byte index `init` on, at that index only if the
    /// pattern is anchored: the matching loop of 5.1's `str_find_aux` after its `init`
    /// adjustment (the VM turns the Lua `init` into a 0-based byte index; an index past
    /// the end is clamped to the end, as 5.1 does, where an empty match is still found:
    /// `string.find("abc", "()", 10)` is `4 3 4`). A match is then read with
    /// [`Matcher::matched`].
    pub fn find(&mut self, init: usize) -> Result<bool, PatternError> {
        let mut start = init.min(self.src.len());
        loop {
            if self.run(start)? {
                return Ok(true);
            }
            if self.anchored || start == self.src.len() {
                return Ok(false);
            }
            start += 1;
        }
    }

    /// The last successful match of [`Matcher::match_at`] or [`Matcher::find`].
    pub fn matched(&self) -> Match<'_> {
        Match {
            start: self.whole.start,
            end: self.whole.end,
            captures: &self.captures[..self.level],
        }
    }

    /// Bounds the steps all later matches may take together: past them a match fails
    /// with an error for which [`PatternError::is_out_of_steps`] holds.
    pub fn limit_steps(&mut self, steps: u64) {
        self.steps_left = steps;
    }

    /// The steps still allowed (`u64::MAX` less those taken, without a limit).
    pub fn steps_left(&self) -> u64 {
        self.steps_left
    }

    /// The pattern byte at `p`, 0 past the end (C's terminator).
    fn pat_at(&self, p: usize) -> u8 {
        self.pat.get(p).copied().unwrap_or(0)
    }

    /// Matches the whole pattern at subject index `start`; on success the match is in
    /// `whole` and `captures[..level]`.
    fn run(&mut self, start: usize) -> Result<bool, PatternError> {
        self.level = 0;
        self.stack.clear();
        if let Some((item, ep)) = self.first_item {
            let first = self.src.get(start);
            if !first.is_some_and(|&c| self.single_match(c, item, ep)) {
                // The one step the matcher would have taken to fail here.
                self.take_step()?;
                return Ok(false);
            }
        }
        let (mut s, mut p) = (start, 0);
        loop {
            self.take_step()?;
            match self.step(s, p)? {
                Step::Next(next_s, next_p) => (s, p) = (next_s, next_p),
                Step::Matched(end) => {
                    self.whole = start..end;
                    return Ok(true);
                }
                Step::Fail => match self.backtrack() {
                    Some((next_s, next_p)) => (s, p) = (next_s, next_p),
                    None => return Ok(false),
                },
            }
        }
    }

    /// Counts one step against the limit (see [`Matcher::limit_steps`]).
    fn take_step(&mut self) -> Result<(), PatternError> {
        if self.steps_left == 0 {
            return error(OUT_OF_STEPS);
        }
        self.steps_left -= 1;
        Ok(())
    }

    fn push(&mut self, frame: Frame) -> Result<(), PatternError> {
        if self.stack.len() >= MAX_BACKTRACK {
            return error("pattern too complex");
        }
        self.stack.push(frame);
        Ok(())
    }

    /// Unwinds to the most recent untried alternative, undoing capture changes on the
    /// way, as returning NULL up C's recursion does.
    fn backtrack(&mut self) -> Option<(usize, usize)> {
        while let Some(frame) = self.stack.pop() {
            match frame {
                Frame::Optional { s, p } => return Some((s, p)),
                Frame::Greedy { s, count, next } => {
                    let count = count - 1;
                    if count > 0 {
                        self.stack.push(Frame::Greedy { s, count, next });
                    }
                    return Some((s + count, next));
                }
                Frame::Lazy { s, item, ep } => {
                    if s < self.src.len() && self.single_match(self.src[s], item, ep) {
                        self.stack.push(Frame::Lazy { s: s + 1, item, ep });
                        return Some((s + 1, ep + 1));
                    }
                }
                Frame::OpenedCapture => self.level -= 1,
                Frame::ClosedCapture(l) => self.captures[l].len = CaptureLen::Unfinished,
            }
        }
        None
    }

    /// One pass through the `switch` of 5.1's `match`.
    fn step(&mut self, s: usize, p: usize) -> Result<Step, PatternError> {
        match self.pat_at(p) {
            0 => Ok(Step::Matched(s)),
            b'(' if self.pat_at(p + 1) == b')' => {
                self.start_capture(s, p + 2, CaptureLen::Position)
            }
            b'(' => self.start_capture(s, p + 1, CaptureLen::Unfinished),
            b')' => self.end_capture(s, p + 1),
            b'$' if p + 1 == self.pat.len() => Ok(if s == self.src.len() {
                Step::Matched(s)
            } else {
                Step::Fail
            }),
            b'%' => match self.pat_at(p + 1) {
                b'b' => Ok(match self.match_balance(s, p + 2)? {
                    Some(end) => Step::Next(end, p + 4),
                    None => Step::Fail,
                }),
                b'f' => self.frontier(s, p + 2),
                digit if digit.is_ascii_digit() => self.back_reference(s, p, digit),
                _ => self.item(s, p),
            },
            _ => self.item(s, p),
        }
    }

    /// A single-byte item at `p`, with its optional quantifier (`default:` in `match`).
    fn item(&mut self, s: usize, p: usize) -> Result<Step, PatternError> {
        let ep = self.class_end(p)?;
        let matched = s < self.src.len() && self.single_match(self.src[s], p, ep);
        match self.pat_at(ep) {
            b'?' if matched => {
                self.push(Frame::Optional { s, p: ep + 1 })?;
                Ok(Step::Next(s + 1, ep + 1))
            }
            b'?' => Ok(Step::Next(s, ep + 1)),
            b'*' => self.max_expand(s, p, ep),
            b'+' if matched => self.max_expand(s + 1, p, ep),
            b'+' => Ok(Step::Fail),
            b'-' => {
                self.push(Frame::Lazy { s, item: p, ep })?;
                Ok(Step::Next(s, ep + 1))
            }
            _ if matched => Ok(Step::Next(s + 1, ep)),
            _ => Ok(Step::Fail),
        }
    }

    /// `max_expand`: the longest run first, then one byte shorter on each backtrack.
    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> Result<Step, PatternError> {
        let count = self.src[s..]
            .iter()
            .take_while(|&&c| self.single_match(c, p, ep))
            .count();
        if count > 0 {
            self.push(Frame::Greedy {
                s,
                count,
                next: ep + 1,
            })?;
        }
        Ok(Step::Next(s + count, ep + 1))
    }

    fn start_capture(&mut self, s: usize, p: usize, len: CaptureLen) -> Result<Step, PatternError> {
        if self.level >= MAX_CAPTURES {
            return error("too many captures");
        }
        self.captures[self.level] = CaptureState { init: s, len };
        self.level += 1;
        self.push(Frame::OpenedCapture)?;
        Ok(Step::Next(s, p))
    }

    fn end_capture(&mut self, s: usize, p: usize) -> Result<Step, PatternError> {
        let Some(l) = (0..self.level)
            .rev()
            .find(|&l| self.captures[l].len == CaptureLen::Unfinished)
        else {
            return error("invalid pattern capture");
        };
        self.captures[l].len = CaptureLen::Closed(s - self.captures[l].init);
        self.push(Frame::ClosedCapture(l))?;
        Ok(Step::Next(s, p))
    }

    /// `%1`-`%9` (and the invalid `%0`) at `p`: `match_capture` with `check_capture`.
    fn back_reference(&self, s: usize, p: usize, digit: u8) -> Result<Step, PatternError> {
        let index = usize::from(digit).wrapping_sub(usize::from(b'1'));
        let capture = match self.captures[..self.level].get(index) {
            Some(capture) if capture.len != CaptureLen::Unfinished => capture,
            _ => return error("invalid capture index"),
        };
        // A position capture has a huge "length" in C, so it never matches.
        let CaptureLen::Closed(len) = capture.len else {
            return Ok(Step::Fail);
        };
        let captured = &self.src[capture.init..capture.init + len];
        Ok(if self.src[s..].starts_with(captured) {
            Step::Next(s + len, p + 2)
        } else {
            Step::Fail
        })
    }

    /// `matchbalance` for `%b` whose two delimiters start at `p`.
    fn match_balance(&self, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        if p + 1 >= self.pat.len() {
            return error("unbalanced pattern");
        }
        let (open, close) = (self.pat[p], self.pat[p + 1]);
        if self.src.get(s) != Some(&open) {
            return Ok(None);
        }
        let mut depth = 1;
        for (i, &c) in self.src.iter().enumerate().skip(s + 1) {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == open {
                depth += 1;
            }
        }
        Ok(None)
    }

    /// `%f` whose set starts at `p`: matches the empty string where the previous byte
    /// (NUL at the start) is outside the set and the current one (NUL at the end) inside.
    fn frontier(&self, s: usize, p: usize) -> Result<Step, PatternError> {
        if self.pat_at(p) != b'[' {
            return error("missing '[' after '%f' in pattern");
        }
        let ep = self.class_end(p)?;
        let previous = if s == 0 { 0 } else { self.src[s - 1] };
        let current = self.src.get(s).copied().unwrap_or(0);
        Ok(
            if self.match_bracket_class(previous, p, ep - 1)
                || !self.match_bracket_class(current, p, ep - 1)
            {
                Step::Fail
            } else {
                Step::Next(s, ep)
            },
        )
    }

    /// `classEnd`: the index just past the single-byte class starting at `p`.
    fn class_end(&self, p: usize) -> Result<usize, PatternError> {
        let mut p = p + 1;
        match self.pat_at(p - 1) {
            b'%' => {
                if p >= self.pat.len() {
                    return error("malformed pattern (ends with '%')");
                }
                Ok(p + 1)
            }
            b'[' => {
                if self.pat_at(p) == b'^' {
                    p += 1;
                }
                // The first byte of the set is never its end, so `[]]` is a set of `]`.
                loop {
                    if p >= self.pat.len() {
                        return error("malformed pattern (missing ']')");
                    }
                    let c = self.pat[p];
                    p += 1;
                    if c == b'%' && p < self.pat.len() {
                        p += 1;
                    }
                    if self.pat_at(p) == b']' {
                        return Ok(p + 1);
                    }
                }
            }
            _ => Ok(p),
        }
    }

    /// `singlematch`: whether byte `c` matches the class `p..ep`.
    fn single_match(&self, c: u8, p: usize, ep: usize) -> bool {
        match self.pat[p] {
            b'.' => true,
            b'%' => match_class(c, self.pat[p + 1]),
            b'[' => self.match_bracket_class(c, p, ep - 1),
            literal => literal == c,
        }
    }

    /// `matchbracketclass`: whether `c` is in the set whose `[` is at `p` and `]` at `ec`.
    fn match_bracket_class(&self, c: u8, p: usize, ec: usize) -> bool {
        let mut p = p;
        let negated = self.pat[p + 1] == b'^';
        if negated {
            p += 1;
        }
        p += 1;
        while p < ec {
            if self.pat[p] == b'%' {
                p += 1;
                if match_class(c, self.pat[p]) {
                    return !negated;
                }
            } else if self.pat[p + 1] == b'-' && p + 2 < ec {
                if self.pat[p] <= c && c <= self.pat[p + 2] {
                    return !negated;
                }
                p += 2;
            } else if self.pat[p] == c {
                return !negated;
            }
            p += 1;
        }
        negated
    }
}

#[cfg(test)]
mod tests {
    //! Expected values come from lua5.1 (Debian's 5.1.5): each case keeps the Lua call
    //! that produced it. The helpers replay 5.1's `str_find_aux`, `gmatch_aux` and
    //! `str_gsub` over this module's API, as the VM's glue will, and render the results
    //! the way the generating script rendered lua5.1's.

    use super::*;

    /// What a successful match shows: the whole match and every capture's value or
    /// error, owned.
    #[derive(Debug, PartialEq)]
    struct Found {
        whole: Range<usize>,
        captures: Vec<Result<Capture, PatternError>>,
    }

    fn found(m: Match) -> Found {
        Found {
            whole: m.whole(),
            captures: (0..m.ncaptures()).map(|i| m.capture(i)).collect(),
        }
    }

    /// The values of captures `0..n` of `m`, or the first error.
    fn values(m: Match, n: usize) -> Result<Vec<Capture>, PatternError> {
        (0..n).map(|i| m.capture(i)).collect()
    }

    /// [`Matcher::find`] of an anchorable pattern, with no bound on its steps.
    fn find_unlimited(
        subject: &[u8],
        pattern: &[u8],
        init: usize,
    ) -> Result<Option<Found>, PatternError> {
        let mut matcher = Matcher::anchorable(subject, pattern);
        Ok(matcher.find(init)?.then(|| found(matcher.matched())))
    }

    /// [`Matcher::match_at`] on a fresh matcher.
    fn match_once(
        subject: &[u8],
        pattern: &[u8],
        start: usize,
    ) -> Result<Option<Found>, PatternError> {
        let mut matcher = Matcher::new(subject, pattern);
        Ok(matcher.match_at(start)?.then(|| found(matcher.matched())))
    }

    enum Val {
        Num(f64),
        Str(Vec<u8>),
    }

    fn val(subject: &[u8], capture: Capture) -> Val {
        match capture {
            Capture::Bytes(range) => Val::Str(subject[range].to_vec()),
            Capture::Position(position) => Val::Num(position as f64),
        }
    }

    fn render_str(s: &[u8]) -> String {
        let mut out = String::from("\"");
        for &b in s {
            if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out.push('"');
        out
    }

    fn render(vals: &[Val]) -> String {
        vals.iter()
            .map(|v| match v {
                Val::Num(n) => number_to_string(*n),
                Val::Str(s) => render_str(s),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn outcome(result: Result<Option<Vec<Val>>, PatternError>) -> String {
        match result {
            Ok(Some(vals)) => render(&vals),
            Ok(None) => "nil".to_owned(),
            Err(e) => format!("ERR: {e}"),
        }
    }

    /// 5.1's `posrelat(init) - 1`, clamped to `0..=len`.
    fn init_index(init: i64, len: usize) -> usize {
        let len = len as i64;
        let pos = if init < 0 { init + len + 1 } else { init };
        (pos.max(0) - 1).clamp(0, len) as usize
    }

    fn str_find(
        s: &[u8],
        p: &[u8],
        init: i64,
        plain: bool,
    ) -> Result<Option<Vec<Val>>, PatternError> {
        let init = init_index(init, s.len());
        if plain || !has_specials(p) {
            return Ok(find_plain(s, p, init)
                .map(|at| vec![Val::Num((at + 1) as f64), Val::Num((at + p.len()) as f64)]));
        }
        let mut matcher = Matcher::anchorable(s, p);
        if !matcher.find(init)? {
            return Ok(None);
        }
        let m = matcher.matched();
        let mut vals = vec![
            Val::Num((m.whole().start + 1) as f64),
            Val::Num(m.whole().end as f64),
        ];
        vals.extend(values(m, m.ncaptures())?.into_iter().map(|c| val(s, c)));
        Ok(Some(vals))
    }

    fn str_match(s: &[u8], p: &[u8], init: i64) -> Result<Option<Vec<Val>>, PatternError> {
        let mut matcher = Matcher::anchorable(s, p);
        if !matcher.find(init_index(init, s.len()))? {
            return Ok(None);
        }
        let m = matcher.matched();
        Ok(Some(
            values(m, m.nvalues())?
                .into_iter()
                .map(|c| val(s, c))
                .collect(),
        ))
    }

    fn str_gmatch(s: &[u8], p: &[u8]) -> Result<String, PatternError> {
        let mut items = Vec::new();
        let mut pos = 0;
        let mut matcher = Matcher::new(s, p);
        while let Some(src) = (pos..=s.len())
            .map(|src| matcher.match_at(src).map(|hit| hit.then_some(src)))
            .find_map(Result::transpose)
            .transpose()?
        {
            let m = matcher.matched();
            pos = if m.whole().end == src {
                src + 1
            } else {
                m.whole().end
            };
            let vals: Vec<Val> = values(m, m.nvalues())?
                .into_iter()
                .map(|c| val(s, c))
                .collect();
            items.push(render(&vals));
        }
        Ok(items.join(" | "))
    }

    enum Repl<'a> {
        /// A replacement string.
        Str(&'a [u8]),
        /// `function(...) return table.concat({...}, ",") end`.
        Join,
        /// A table whose `__index` returns `"<" .. tostring(key) .. ">"`.
        Table,
    }

    fn text(subject: &[u8], capture: Capture) -> Vec<u8> {
        match val(subject, capture) {
            Val::Num(n) => number_to_string(n).into_bytes(),
            Val::Str(s) => s,
        }
    }

    fn str_gsub(
        s: &[u8],
        p: &[u8],
        repl: &Repl,
        max: Option<usize>,
    ) -> Result<Option<Vec<Val>>, PatternError> {
        let max = max.unwrap_or(s.len() + 1);
        let (mut out, mut src, mut n) = (Vec::new(), 0, 0);
        let mut matcher = Matcher::anchorable(s, p);
        while n < max {
            let m = matcher.match_at(src)?.then(|| matcher.matched());
            if let Some(m) = m {
                n += 1;
                match repl {
                    Repl::Str(r) => assert!(expand_replacement(r, s, &m, &mut out, usize::MAX)?),
                    Repl::Join => {
                        let parts: Vec<Vec<u8>> = values(m, m.nvalues())?
                            .into_iter()
                            .map(|c| text(s, c))
                            .collect();
                        out.extend(parts.join(&b','));
                    }
                    Repl::Table => {
                        out.push(b'<');
                        out.extend(text(s, m.capture(0)?));
                        out.push(b'>');
                    }
                }
            }
            match m {
                Some(m) if m.whole().end > src => src = m.whole().end,
                _ if src < s.len() => {
                    out.push(s[src]);
                    src += 1;
                }
                _ => break,
            }
            if matcher.is_anchored() {
                break;
            }
        }
        out.extend_from_slice(&s[src..]);
        Ok(Some(vec![Val::Str(out), Val::Num(n as f64)]))
    }

    fn find(s: &[u8], p: &[u8], init: i64, plain: bool, expected: &str) {
        assert_eq!(
            outcome(str_find(s, p, init, plain)),
            expected,
            "find {:?} {:?}",
            String::from_utf8_lossy(s),
            String::from_utf8_lossy(p)
        );
    }

    fn lua_match(s: &[u8], p: &[u8], init: i64, expected: &str) {
        assert_eq!(
            outcome(str_match(s, p, init)),
            expected,
            "match {:?} {:?}",
            String::from_utf8_lossy(s),
            String::from_utf8_lossy(p)
        );
    }

    fn gmatch(s: &[u8], p: &[u8], expected: &str) {
        let got = match str_gmatch(s, p) {
            Ok(items) => items,
            Err(e) => format!("ERR: {e}"),
        };
        assert_eq!(
            got,
            expected,
            "gmatch {:?} {:?}",
            String::from_utf8_lossy(s),
            String::from_utf8_lossy(p)
        );
    }

    fn gsub(s: &[u8], p: &[u8], repl: Repl, max: Option<usize>, expected: &str) {
        assert_eq!(
            outcome(str_gsub(s, p, &repl, max)),
            expected,
            "gsub {:?} {:?}",
            String::from_utf8_lossy(s),
            String::from_utf8_lossy(p)
        );
    }

    /// Plain finds: no specials, or the plain flag; an empty needle is found at init.
    #[test]
    fn plain_find() {
        // string.find("hello world", "o w")
        find(b"hello world", b"o w", 1, false, "5 7");
        // string.find("hello world", "l")
        find(b"hello world", b"l", 1, false, "3 3");
        // string.find("a.b", ".", 1, true)
        find(b"a.b", b".", 1, true, "2 2");
        // string.find("a+b(", "+b(", 1, true)
        find(b"a+b(", b"+b(", 1, true, "2 4");
        // string.find("abc", "", 10)
        find(b"abc", b"", 10, false, "4 3");
        // string.find("abc", "", -1)
        find(b"abc", b"", -1, false, "3 2");
        // string.find("abc", "x")
        find(b"abc", b"x", 1, false, "nil");
        // string.find("a\0b(", "\0b(")
        find(b"a\x00b(", b"\x00b(", 1, false, "2 4");
        // string.find("abc", "b\0%")
        find(b"abc", b"b\x00%", 1, false, "nil");
    }

    /// Single-byte classes (C locale: bytes >= 0x80 are in no class).
    #[test]
    fn classes() {
        // string.match("  abc_12 ", "%w+")
        lua_match(b"  abc_12 ", b"%w+", 1, "\"abc\"");
        // string.match("abc_12", "%W")
        lua_match(b"abc_12", b"%W", 1, "\"_\"");
        // string.match("abc!?.x", "%p+")
        lua_match(b"abc!?.x", b"%p+", 1, "\"!?.\"");
        // string.find("a\11b", "%s")
        find(b"a\x0bb", b"%s", 1, false, "2 2");
        // string.find("ab\127", "%c")
        find(b"ab\x7f", b"%c", 1, false, "3 3");
        // string.match("zzDEADbeefg", "%x+")
        lua_match(b"zzDEADbeefg", b"%x+", 1, "\"DEADbeef\"");
        // string.find("a\0b", "%z")
        find(b"a\x00b", b"%z", 1, false, "2 2");
        // string.match("\0\0ab\0", "%Z+")
        lua_match(b"\x00\x00ab\x00", b"%Z+", 1, "\"ab\"");
        // string.match("abcDEFghi", "%u+%l")
        lua_match(b"abcDEFghi", b"%u+%l", 1, "\"DEFg\"");
        // string.find("\200\233a", "%a")
        find(b"\xc8\xe9a", b"%a", 1, false, "3 3");
        // string.match("\200\233a", ".")
        lua_match(b"\xc8\xe9a", b".", 1, "\"\\xc8\"");
        // string.match("x1 y22 z333", "%a%d%d%d")
        lua_match(b"x1 y22 z333", b"%a%d%d%d", 1, "\"z333\"");
        // string.match("tab\there", "%S+%s%S+")
        lua_match(b"tab\x09here", b"%S+%s%S+", 1, "\"tab\\x09here\"");
        // string.find("aqb", "%q")
        find(b"aqb", b"%q", 1, false, "2 2");
        // string.find("a.b", "%.")
        find(b"a.b", b"%.", 1, false, "2 2");
        // string.find("a%b", "%%")
        find(b"a%b", b"%%", 1, false, "2 2");
    }

    /// Sets: ranges, classes, negation, ']' first, escapes, '-' at the edges.
    #[test]
    fn sets() {
        // string.match("ab12;;", "[%d;]+")
        lua_match(b"ab12;;", b"[%d;]+", 1, "\"12;;\"");
        // string.match("ab12;;", "[^%a]+")
        lua_match(b"ab12;;", b"[^%a]+", 1, "\"12;;\"");
        // string.find("a]b", "[]]")
        find(b"a]b", b"[]]", 1, false, "2 2");
        // string.find("]]a", "[^]]")
        find(b"]]a", b"[^]]", 1, false, "3 3");
        // string.match("a]]b", "[%]]+")
        lua_match(b"a]]b", b"[%]]+", 1, "\"]]\"");
        // string.match("hello-World", "[a-z-]+")
        lua_match(b"hello-World", b"[a-z-]+", 1, "\"hello-\"");
        // string.match("x-1", "[%a-]+")
        lua_match(b"x-1", b"[%a-]+", 1, "\"x-\"");
        // string.match("a-z", "[z-a]")
        lua_match(b"a-z", b"[z-a]", 1, "nil");
        // string.match("-a", "[-a]+")
        lua_match(b"-a", b"[-a]+", 1, "\"-a\"");
        // string.match("b", "[%a-z]")
        lua_match(b"b", b"[%a-z]", 1, "\"b\"");
        // string.match("5", "[%d-z]")
        lua_match(b"5", b"[%d-z]", 1, "\"5\"");
        // string.match("a+-*b", "[%+%-*]+")
        lua_match(b"a+-*b", b"[%+%-*]+", 1, "\"+-*\"");
    }

    /// Quantifiers: greedy *, +, ?, lazy -.
    #[test]
    fn quantifiers() {
        // string.match("color colour", "colou?r")
        lua_match(b"color colour", b"colou?r", 1, "\"color\"");
        // string.find("aaab", "a+b")
        find(b"aaab", b"a+b", 1, false, "1 4");
        // string.find("b", "a+b")
        find(b"b", b"a+b", 1, false, "nil");
        // string.match("a,b,c", "(.*),")
        lua_match(b"a,b,c", b"(.*),", 1, "\"a,b\"");
        // string.match("a,b,c", "(.-),")
        lua_match(b"a,b,c", b"(.-),", 1, "\"a\"");
        // string.match("abc", "a-")
        lua_match(b"abc", b"a-", 1, "\"\"");
        // string.find("", ".*")
        find(b"", b".*", 1, false, "1 0");
        // string.match("<<a>><<b>>", "<<(.-)>>")
        lua_match(b"<<a>><<b>>", b"<<(.-)>>", 1, "\"a\"");
        // string.match("  trim me  ", "^%s*(.-)%s*$")
        lua_match(b"  trim me  ", b"^%s*(.-)%s*$", 1, "\"trim me\"");
        // string.match("key=val", "(%w+)=(%w*)")
        lua_match(b"key=val", b"(%w+)=(%w*)", 1, "\"key\" \"val\"");
        // string.match("aaa", "a-b")
        lua_match(b"aaa", b"a-b", 1, "nil");
        // string.match("xay", "x(a?)(a?)y")
        lua_match(b"xay", b"x(a?)(a?)y", 1, "\"a\" \"\"");
        // string.match("aaab", "(a*)(a)b")
        lua_match(b"aaab", b"(a*)(a)b", 1, "\"aa\" \"a\"");
        // string.match("xaaay", "x(a*)(a)(a)y")
        lua_match(b"xaaay", b"x(a*)(a)(a)y", 1, "\"a\" \"a\" \"a\"");
        // string.find("aaaa", "a*aaa")
        find(b"aaaa", b"a*aaa", 1, false, "1 4");
        // string.match("a,b,c,", "(.*),(.*),")
        lua_match(b"a,b,c,", b"(.*),(.*),", 1, "\"a,b\" \"c\"");
        // string.match("aXbXc", "(.-)X(.-)X")
        lua_match(b"aXbXc", b"(.-)X(.-)X", 1, "\"a\" \"b\"");
        // string.match("aaa", "(a+)(a+)")
        lua_match(b"aaa", b"(a+)(a+)", 1, "\"aa\" \"a\"");
        // string.match("abab", "(.-)b(.*)b")
        lua_match(b"abab", b"(.-)b(.*)b", 1, "\"a\" \"a\"");
    }

    /// Anchors: ^ only at the start, $ only at the end; literal elsewhere.
    #[test]
    fn anchors_and_init() {
        // string.find("aab", "^b")
        find(b"aab", b"^b", 1, false, "nil");
        // string.find("aab", "^a+")
        find(b"aab", b"^a+", 1, false, "1 2");
        // string.find("ab", "^")
        find(b"ab", b"^", 1, false, "1 0");
        // string.find("ab", "$")
        find(b"ab", b"$", 1, false, "3 2");
        // string.match("ab", "b$")
        lua_match(b"ab", b"b$", 1, "\"b\"");
        // string.find("a$b", "a$b")
        find(b"a$b", b"a$b", 1, false, "1 3");
        // string.find("a^b", "a^b")
        find(b"a^b", b"a^b", 1, false, "1 3");
        // string.find("^ab", "^^a")
        find(b"^ab", b"^^a", 1, false, "1 2");
        // string.find("a$", "$$")
        find(b"a$", b"$$", 1, false, "2 2");
        // string.find("*b", "*b")
        find(b"*b", b"*b", 1, false, "1 2");
        // string.match("hello", "^(h)(e)")
        lua_match(b"hello", b"^(h)(e)", 1, "\"h\" \"e\"");
        // string.match("hello", "l+", 2)
        lua_match(b"hello", b"l+", 2, "\"ll\"");
        // string.match("hello", "l", -2)
        lua_match(b"hello", b"l", -2, "\"l\"");
        // string.find("abc", "a", 0)
        find(b"abc", b"a", 0, false, "1 1");
        // string.find("abc", "a", -10)
        find(b"abc", b"a", -10, false, "1 1");
        // string.find("abc", "()", 10)
        find(b"abc", b"()", 10, false, "4 3 4");
        // string.find("abc", "^b", 2)
        find(b"abc", b"^b", 2, false, "2 2");
    }

    /// %b balanced matches.
    #[test]
    fn balanced() {
        // string.find("x(a(b)c)y", "%b()")
        find(b"x(a(b)c)y", b"%b()", 1, false, "2 8");
        // string.match("f(a(b)(c))d", "%b()")
        lua_match(b"f(a(b)(c))d", b"%b()", 1, "\"(a(b)(c))\"");
        // string.match("f(a(b)", "%b()")
        lua_match(b"f(a(b)", b"%b()", 1, "\"(b)\"");
        // string.match("'ab'c'", "%b''")
        lua_match(b"'ab'c'", b"%b''", 1, "\"'ab'\"");
        // string.gsub("if (a and (b or c)) then", "%b()", "X")
        gsub(
            b"if (a and (b or c)) then",
            b"%b()",
            Repl::Str(b"X"),
            None,
            "\"if X then\" 1",
        );
    }

    /// %f frontiers (NUL before the start and after the end).
    #[test]
    fn frontier() {
        // string.gsub("hello world from Lua", "%f[%w]%w+", "<%0>")
        gsub(
            b"hello world from Lua",
            b"%f[%w]%w+",
            Repl::Str(b"<%0>"),
            None,
            "\"<hello> <world> <from> <Lua>\" 4",
        );
        // string.gsub("THE (quick) fox", "%f[%a]", "|")
        gsub(
            b"THE (quick) fox",
            b"%f[%a]",
            Repl::Str(b"|"),
            None,
            "\"|THE (|quick) |fox\" 3",
        );
        // string.gsub("THE (quick) fox", "%f[%A]", "|")
        gsub(
            b"THE (quick) fox",
            b"%f[%A]",
            Repl::Str(b"|"),
            None,
            "\"THE| (quick|) fox|\" 3",
        );
        // string.find("abc", "%f[a]", 2)
        find(b"abc", b"%f[a]", 2, false, "nil");
        // string.find("abc", "%f[%z]")
        find(b"abc", b"%f[%z]", 1, false, "4 3");
        // string.find("THE (quick) fox", "%f[%a]%a+")
        find(b"THE (quick) fox", b"%f[%a]%a+", 1, false, "1 3");
    }

    /// Captures: nested, positions, back-references.
    #[test]
    fn captures() {
        // string.match("hello", "()ll()")
        lua_match(b"hello", b"()ll()", 1, "3 5");
        // string.match("abcd", "((a)(b(c)))d")
        lua_match(b"abcd", b"((a)(b(c)))d", 1, "\"abc\" \"a\" \"bc\" \"c\"");
        // string.find("key = value", "(%w+)%s*=%s*(%w+)")
        find(
            b"key = value",
            b"(%w+)%s*=%s*(%w+)",
            1,
            false,
            "1 11 \"key\" \"value\"",
        );
        // string.find("hello hello", "(%a+) %1")
        find(b"hello hello", b"(%a+) %1", 1, false, "1 11 \"hello\"");
        // string.match("x='ab' y=\"cd\"", "([\"'])(.-)%1")
        lua_match(
            b"x='ab' y=\x22cd\x22",
            b"([\x22'])(.-)%1",
            1,
            "\"'\" \"ab\"",
        );
        // string.match("ab", "(a)%1")
        lua_match(b"ab", b"(a)%1", 1, "nil");
        // string.find("aa", "()a%1")
        find(b"aa", b"()a%1", 1, false, "nil");
        // string.find("a", string.rep("()", 32))
        find(
            b"a",
            b"()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()",
            1,
            false,
            "1 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
        );
        // string.match("abc", "()")
        lua_match(b"abc", b"()", 1, "1");
    }

    /// gmatch: '^' is a literal; empty matches advance one byte.
    #[test]
    fn gmatch_iteration() {
        // string.gmatch("one two  three", "%a+")
        gmatch(b"one two  three", b"%a+", "\"one\" | \"two\" | \"three\"");
        // string.gmatch("k1=v1, k2=v2", "(%w+)=(%w+)")
        gmatch(
            b"k1=v1, k2=v2",
            b"(%w+)=(%w+)",
            "\"k1\" \"v1\" | \"k2\" \"v2\"",
        );
        // string.gmatch("abc", "%a*")
        gmatch(b"abc", b"%a*", "\"abc\" | \"\"");
        // string.gmatch("abc", "")
        gmatch(b"abc", b"", "\"\" | \"\" | \"\" | \"\"");
        // string.gmatch("^a^a", "^a")
        gmatch(b"^a^a", b"^a", "\"^a\" | \"^a\"");
        // string.gmatch("hello", "()l")
        gmatch(b"hello", b"()l", "3 | 4");
        // string.gmatch("a1b22c333", "%d+")
        gmatch(b"a1b22c333", b"%d+", "\"1\" | \"22\" | \"333\"");
    }

    /// gsub with string replacements: %0-%9, %%, a trailing %, anchors, limits.
    #[test]
    fn gsub_string() {
        // string.gsub("hello world", "(%w+) (%w+)", "%2 %1")
        gsub(
            b"hello world",
            b"(%w+) (%w+)",
            Repl::Str(b"%2 %1"),
            None,
            "\"world hello\" 1",
        );
        // string.gsub("abc", "%w", "%0%0")
        gsub(b"abc", b"%w", Repl::Str(b"%0%0"), None, "\"aabbcc\" 3");
        // string.gsub("hello", "()l", "%1")
        gsub(b"hello", b"()l", Repl::Str(b"%1"), None, "\"he34o\" 2");
        // string.gsub("abc", "b", "<%1>")
        gsub(b"abc", b"b", Repl::Str(b"<%1>"), None, "\"a<b>c\" 1");
        // string.gsub("abc", "b", "%x%%")
        gsub(b"abc", b"b", Repl::Str(b"%x%%"), None, "\"ax%c\" 1");
        // string.gsub("abc", "b", "x%")
        gsub(b"abc", b"b", Repl::Str(b"x%"), None, "\"ax\\x00c\" 1");
        // string.gsub("aaa", "^a", "b")
        gsub(b"aaa", b"^a", Repl::Str(b"b"), None, "\"baa\" 1");
        // string.gsub("aaa", "a", "b", 2)
        gsub(b"aaa", b"a", Repl::Str(b"b"), Some(2), "\"bba\" 2");
        // string.gsub("aaa", "a", "b", 0)
        gsub(b"aaa", b"a", Repl::Str(b"b"), Some(0), "\"aaa\" 0");
        // string.gsub("abc", "%a*", "-")
        gsub(b"abc", b"%a*", Repl::Str(b"-"), None, "\"--\" 2");
        // string.gsub("abc", "x*", "-")
        gsub(b"abc", b"x*", Repl::Str(b"-"), None, "\"-a-b-c-\" 4");
        // string.gsub("", "x*", "-")
        gsub(b"", b"x*", Repl::Str(b"-"), None, "\"-\" 1");
        // string.gsub("hello world", "o", "0")
        gsub(
            b"hello world",
            b"o",
            Repl::Str(b"0"),
            None,
            "\"hell0 w0rld\" 2",
        );
        // string.gsub("a,b,,c", ",", ";")
        gsub(b"a,b,,c", b",", Repl::Str(b";"), None, "\"a;b;;c\" 3");
        // string.gsub("abc", "", "/")
        gsub(b"abc", b"", Repl::Str(b"/"), None, "\"/a/b/c/\" 4");
        // string.gsub("a", "(a", "x")
        gsub(b"a", b"(a", Repl::Str(b"x"), None, "\"x\" 1");
        // string.gsub("a", "(a", "%0")
        gsub(b"a", b"(a", Repl::Str(b"%0"), None, "\"a\" 1");
    }

    /// gsub with function and table replacements.
    #[test]
    fn gsub_function_and_table() {
        // string.gsub("hello world", "%w+", function(...) return table.concat({...}, ",") end)
        gsub(
            b"hello world",
            b"%w+",
            Repl::Join,
            None,
            "\"hello world\" 2",
        );
        // string.gsub("k=v x=y", "(%w)=(%w)", function(...) return table.concat({...}, ",") end)
        gsub(b"k=v x=y", b"(%w)=(%w)", Repl::Join, None, "\"k,v x,y\" 2");
        // string.gsub("abc", "()b()", function(...) return table.concat({...}, ",") end)
        gsub(b"abc", b"()b()", Repl::Join, None, "\"a2,3c\" 1");
        // string.gsub("a b", "%a", setmetatable({}, {__index = function(_, k) return "<" .. tostring(k) .. ">" end}))
        gsub(b"a b", b"%a", Repl::Table, None, "\"<a> <b>\" 2");
        // string.gsub("xay", "x(a)y", setmetatable({}, {__index = function(_, k) return "<" .. tostring(k) .. ">" end}))
        gsub(b"xay", b"x(a)y", Repl::Table, None, "\"<a>\" 1");
        // string.gsub("ab", "(a)(b", setmetatable({}, {__index = function(_, k) return "<" .. tostring(k) .. ">" end}))
        gsub(b"ab", b"(a)(b", Repl::Table, None, "\"<a>\" 1");
        // string.gsub("abc", "()b", setmetatable({}, {__index = function(_, k) return "<" .. tostring(k) .. ">" end}))
        gsub(b"abc", b"()b", Repl::Table, None, "\"a<2>c\" 1");
        // string.gsub("ab", "(a)(b", function(...) return table.concat({...}, ",") end)
        gsub(b"ab", b"(a)(b", Repl::Join, None, "ERR: unfinished capture");
    }

    /// Errors, raised only when the matcher reaches the faulty item.
    #[test]
    fn errors() {
        // string.find("b", "a[")
        find(b"b", b"a[", 1, false, "nil");
        // string.match("a", "a[")
        lua_match(b"a", b"a[", 1, "ERR: malformed pattern (missing ']')");
        // string.match("a", "a%")
        lua_match(b"a", b"a%", 1, "ERR: malformed pattern (ends with '%')");
        // string.match("a", "[a")
        lua_match(b"a", b"[a", 1, "ERR: malformed pattern (missing ']')");
        // string.match("a", "[a%")
        lua_match(b"a", b"[a%", 1, "ERR: malformed pattern (missing ']')");
        // string.match("a", "[^")
        lua_match(b"a", b"[^", 1, "ERR: malformed pattern (missing ']')");
        // string.match("^", "[^]")
        lua_match(b"^", b"[^]", 1, "ERR: malformed pattern (missing ']')");
        // string.match("a", "[a%]")
        lua_match(b"a", b"[a%]", 1, "ERR: malformed pattern (missing ']')");
        // string.match("a", "%fa")
        lua_match(b"a", b"%fa", 1, "ERR: missing '[' after '%f' in pattern");
        // string.match("a", "%f")
        lua_match(b"a", b"%f", 1, "ERR: missing '[' after '%f' in pattern");
        // string.match("a", "%b")
        lua_match(b"a", b"%b", 1, "ERR: unbalanced pattern");
        // string.match("a", "%ba")
        lua_match(b"a", b"%ba", 1, "ERR: unbalanced pattern");
        // string.match("abc", "%bc")
        lua_match(b"abc", b"%bc", 1, "ERR: unbalanced pattern");
        // string.match("a", "(a)%2")
        lua_match(b"a", b"(a)%2", 1, "ERR: invalid capture index");
        // string.match("a", "%0")
        lua_match(b"a", b"%0", 1, "ERR: invalid capture index");
        // string.match("aa", "(a%1)")
        lua_match(b"aa", b"(a%1)", 1, "ERR: invalid capture index");
        // string.match("aa", "(a)%9")
        lua_match(b"aa", b"(a)%9", 1, "ERR: invalid capture index");
        // string.match("a", "a)")
        lua_match(b"a", b"a)", 1, "ERR: invalid pattern capture");
        // string.match("a", "()a)")
        lua_match(b"a", b"()a)", 1, "ERR: invalid pattern capture");
        // string.match("b", "a)")
        lua_match(b"b", b"a)", 1, "nil");
        // string.find("a", "(a")
        find(b"a", b"(a", 1, false, "ERR: unfinished capture");
        // string.match("a", "(a")
        lua_match(b"a", b"(a", 1, "ERR: unfinished capture");
        // string.gmatch("ab", "(a")
        gmatch(b"ab", b"(a", "ERR: unfinished capture");
        // string.find("a", string.rep("(", 33))
        find(
            b"a",
            b"(((((((((((((((((((((((((((((((((",
            1,
            false,
            "ERR: too many captures",
        );
        // string.find("a", string.rep("()", 33))
        find(
            b"a",
            b"()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()",
            1,
            false,
            "ERR: too many captures",
        );
        // string.gsub("a", "(a", "%1")
        gsub(
            b"a",
            b"(a",
            Repl::Str(b"%1"),
            None,
            "ERR: unfinished capture",
        );
        // string.gsub("abc", "b", "%2")
        gsub(
            b"abc",
            b"b",
            Repl::Str(b"%2"),
            None,
            "ERR: invalid capture index",
        );
        // string.find("a\0b(", "b(\0")
        find(b"a\x00b(", b"b(\x00", 1, false, "ERR: unfinished capture");
        // string.match("a\0b", "[\0]")
        lua_match(
            b"a\x00b",
            b"[\x00]",
            1,
            "ERR: malformed pattern (missing ']')",
        );
    }

    #[test]
    fn match_values() {
        // string.find("key = value", "(%w+)%s*=%s*()")  --> 1 7 "key" 7
        let m = find_unlimited(b"key = value", b"(%w+)%s*=%s*()", 0)
            .unwrap()
            .unwrap();
        assert_eq!(m.whole, 0..6);
        assert_eq!(
            m.captures,
            vec![Ok(Capture::Bytes(0..3)), Ok(Capture::Position(7))]
        );
        // match_at never anchors: gmatch("^a^a", "^a") --> "^a", "^a"
        let m = match_once(b"^a^a", b"^a", 2).unwrap().unwrap();
        assert_eq!(m.whole, 2..4);
        assert_eq!(match_once(b"abc", b"b", 0), Ok(None));
        assert_eq!(match_once(b"abc", b"", 4), Ok(None));
        assert_eq!(
            match_once(b"abc", b"()", 3).unwrap().unwrap().captures,
            vec![Ok(Capture::Position(4))]
        );
        // An unclosed capture is reported only when its value is asked for.
        let mut matcher = Matcher::new(b"ab", b"(a(b)");
        assert_eq!(matcher.match_at(0), Ok(true));
        let m = matcher.matched();
        assert_eq!(m.capture(1), Ok(Capture::Bytes(1..2)));
        assert_eq!(
            m.capture(0),
            Err(PatternError("unfinished capture".to_owned()))
        );
        assert_eq!(
            m.capture(2),
            Err(PatternError("invalid capture index".to_owned()))
        );
        // Without captures, capture 0 is the whole match and find returns no captures.
        let mut matcher = Matcher::new(b"abc", b"b");
        assert_eq!(matcher.match_at(1), Ok(true));
        let m = matcher.matched();
        assert_eq!(m.capture(0), Ok(Capture::Bytes(1..2)));
        assert_eq!(m.ncaptures(), 0);
        assert_eq!(values(m, m.nvalues()), Ok(vec![Capture::Bytes(1..2)]));
        // A matcher lent an earlier one's stack matches as a fresh one.
        let mut first = Matcher::anchorable(b"xaab", b"(a+)b");
        assert_eq!(first.find(0), Ok(true));
        let mut second = Matcher::anchorable(b"ab", b"^(a)(b)");
        second.reuse(first.into_backtrack());
        assert_eq!(second.find(0), Ok(true));
        assert_eq!(
            values(second.matched(), 2),
            Ok(vec![Capture::Bytes(0..1), Capture::Bytes(1..2)])
        );
    }

    #[test]
    fn first_item_shortcut_keeps_results_and_errors() {
        // Starts where the first byte-consuming item fails are rejected without running
        // the matcher; these cases pin 5.1's results where that could change them.
        // string.find("b", string.rep("(", 33) .. "a")  --> error: too many captures
        let deep = |n: usize| [b"(".repeat(n), b"a".to_vec()].concat();
        find(b"b", &deep(33), 1, false, "ERR: too many captures");
        // string.find("b", string.rep("(", 32) .. "a")  --> nil
        find(b"b", &deep(32), 1, false, "nil");
        // string.find("xb", "[a")  --> error: malformed pattern (missing ']')
        find(
            b"xb",
            b"[a",
            1,
            false,
            "ERR: malformed pattern (missing ']')",
        );
        // string.find("ab12", "(%d+)")  --> 3 4 "12"
        find(b"ab12", b"(%d+)", 1, false, "3 4 \"12\"");
        // string.find("ab12", "%d*")  --> 1 0
        find(b"ab12", b"%d*", 1, false, "1 0");
        // string.find("ab", "()b")  --> 2 2 2
        find(b"ab", b"()b", 1, false, "2 2 2");
        // string.find("a$b", "$b")  --> 2 3
        find(b"a$b", b"$b", 1, false, "2 3");
        // string.find("x", "$")  --> 2 1
        find(b"x", b"$", 1, false, "2 1");
    }

    #[test]
    fn plain_search_helpers() {
        // 5.1's SPECIALS, looked for up to the first NUL (strpbrk).
        assert!(!has_specials(b"hello world"));
        assert!(!has_specials(b"a)b]c"));
        for special in b"^$*+?.([%-" {
            assert!(has_specials(&[b'a', *special]));
        }
        assert!(!has_specials(b"a\0("));
        assert_eq!(find_plain(b"hello", b"l", 0), Some(2));
        assert_eq!(find_plain(b"hello", b"l", 3), Some(3));
        assert_eq!(find_plain(b"hello", b"l", 4), None);
        assert_eq!(find_plain(b"hello", b"", 5), Some(5));
        assert_eq!(find_plain(b"hello", b"", 9), Some(5));
        assert_eq!(find_plain(b"hi", b"hello", 0), None);
        assert_eq!(find_plain(b"a\0b\0c", b"\0c", 0), Some(3));
    }

    #[test]
    fn deep_patterns_do_not_use_the_rust_stack() {
        // string.find(string.rep("a", 40000), string.rep("a?", 40000))  --> 1 40000
        // (lua5.1 itself handles this depth.) A 128 KiB thread stack proves the matcher
        // does not recurse.
        let worker = std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(|| {
                let n = 40_000;
                let m = find_unlimited(&b"a".repeat(n), &b"a?".repeat(n), 0)
                    .unwrap()
                    .unwrap();
                assert_eq!(m.whole, 0..n);
            })
            .unwrap();
        worker.join().unwrap();
    }

    #[test]
    fn pathological_patterns_fail_fast() {
        // lua5.1 overflows its C stack here (segmentation fault); we report an error.
        let n = 100_000;
        let pattern = [b"a?".repeat(n), b"a".repeat(n)].concat();
        let subject = b"a".repeat(n);
        let too_complex = Err(PatternError("pattern too complex".to_owned()));
        assert_eq!(find_unlimited(&subject, &pattern, 0), too_complex);
        assert_eq!(match_once(&subject, &pattern, 0), too_complex);
        assert_eq!(
            find_unlimited(&subject, &b"a?".repeat(MAX_BACKTRACK + 1), 0),
            too_complex
        );
        // Up to the limit, such patterns behave as in 5.1: string.find(("a"):rep(5), ("a?"):rep(5) .. ("a"):rep(5))  --> 1 5
        let pattern = [b"a?".repeat(5), b"a".repeat(5)].concat();
        assert_eq!(
            find_unlimited(b"aaaaa", &pattern, 0)
                .unwrap()
                .unwrap()
                .whole,
            0..5
        );
        // Captures count towards the limit too: each opens and closes a level.
        let pattern = b"(a)".repeat(MAX_CAPTURES);
        assert!(match_once(&b"a".repeat(MAX_CAPTURES), &pattern, 0)
            .unwrap()
            .is_some());
    }

    #[test]
    fn class_table_matches_c_locale() {
        // for c = 0, 255 do ... string.find(string.char(c), "%a") ... end, per class,
        // collected by lua5.1 as the number of member bytes.
        let expected = [
            (b'a', 52),
            (b'c', 33),
            (b'd', 10),
            (b'l', 26),
            (b'p', 32),
            (b's', 6),
            (b'u', 26),
            (b'w', 62),
            (b'x', 22),
            (b'z', 1),
        ];
        for (class, count) in expected {
            let members = (0..=255u8).filter(|&c| match_class(c, class)).count();
            assert_eq!(members, count, "%{}", char::from(class));
            let complement = (0..=255u8)
                .filter(|&c| match_class(c, class.to_ascii_uppercase()))
                .count();
            assert_eq!(
                complement,
                256 - count,
                "%{}",
                char::from(class.to_ascii_uppercase())
            );
        }
    }
}
