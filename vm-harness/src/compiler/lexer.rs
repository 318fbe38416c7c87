//! The Lua 5.1 lexer, a port of PUC-Rio's `llex.c`.
//!
//! Invariants: `current` is the byte after the last one consumed (or [`EOZ`]);
//! `linenumber` is the line where the current token `t` (or the look-ahead token, when
//! one is pending) ends, and `lastline` the line where the previously consumed token
//! ended. `buff` mirrors `ls->buff`: it holds the raw text of the most recently scanned
//! token, which is what "near '...'" shows for names, strings and numbers, so error
//! messages come out byte-identical to lua5.1's.

use super::token::{Token, TokenKind};
use super::SyntaxError;

/// End-of-input marker for `current`.
const EOZ: i32 = -1;

/// Lexer state over one chunk.
pub struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    current: i32,
    /// Line of the end of the current token (`ls->linenumber`).
    pub linenumber: u32,
    /// Line of the end of the last consumed token (`ls->lastline`); code is attributed to it.
    pub lastline: u32,
    /// The current token (`ls->t`).
    pub t: Token,
    lookahead: Option<Token>,
    buff: Vec<u8>,
    /// The chunk's display name, which prefixes every error message.
    chunk_id: String,
}

fn is_newline(c: i32) -> bool {
    c == i32::from(b'\n') || c == i32::from(b'\r')
}

fn is_digit(c: i32) -> bool {
    (i32::from(b'0')..=i32::from(b'9')).contains(&c)
}

fn is_alpha(c: i32) -> bool {
    (i32::from(b'a')..=i32::from(b'z')).contains(&c)
        || (i32::from(b'A')..=i32::from(b'Z')).contains(&c)
}

fn is_alnum(c: i32) -> bool {
    is_alpha(c) || is_digit(c)
}

/// C's `isspace` in the C locale, minus the newlines the lexer handles apart.
fn is_blank(c: i32) -> bool {
    [b' ', b'\t', 0x0b, 0x0c].iter().any(|&b| c == i32::from(b))
}

impl<'s> Lexer<'s> {
    /// A lexer positioned before the first token; call [`Lexer::next`] to read it.
    /// Error messages name the chunk by `syntax_chunk_id(chunk_name)`.
    pub fn new(src: &'s [u8], chunk_name: &str) -> Self {
        let mut lex = Lexer {
            src,
            pos: 0,
            current: EOZ,
            linenumber: 1,
            lastline: 1,
            t: Token::Plain(TokenKind::Eos),
            lookahead: None,
            buff: Vec::new(),
            chunk_id: super::syntax_chunk_id(chunk_name.as_bytes()),
        };
        lex.advance();
        lex
    }

    /// An error located at the current line, optionally followed by "near" the given
    /// token (`luaX_lexerror`).
    pub fn error(&self, msg: &[u8], near: Option<TokenKind>) -> SyntaxError {
        let mut m = format!("{}:{}: ", self.chunk_id, self.linenumber).into_bytes();
        m.extend_from_slice(msg);
        if let Some(tok) = near {
            m.extend_from_slice(b" near '");
            m.extend_from_slice(&self.token_text(tok));
            m.push(b'\'');
        }
        SyntaxError::new(m)
    }

    /// An error "near" the current token (`luaX_syntaxerror`).
    pub fn syntax_error(&self, msg: &str) -> SyntaxError {
        self.error(msg.as_bytes(), Some(self.t.kind()))
    }

    /// `txtToken`: valued tokens show the scanned text, cut at the first NUL byte as the
    /// C string would be.
    fn token_text(&self, tok: TokenKind) -> Vec<u8> {
        match tok {
            TokenKind::Name | TokenKind::String | TokenKind::Number => {
                self.buff.iter().copied().take_while(|&b| b != 0).collect()
            }
            other => other.to_bytes(),
        }
    }

    /// Moves to the next token (`luaX_next`).
    pub fn next(&mut self) -> Result<(), SyntaxError> {
        self.lastline = self.linenumber;
        self.t = match self.lookahead.take() {
            Some(tok) => tok,
            None => self.llex()?,
        };
        Ok(())
    }

    /// Scans the token after the current one without consuming it (`luaX_lookahead`);
    /// at most one may be pending.
    pub fn lookahead(&mut self) -> Result<TokenKind, SyntaxError> {
        debug_assert!(self.lookahead.is_none());
        let tok = self.llex()?;
        let kind = tok.kind();
        self.lookahead = Some(tok);
        Ok(kind)
    }

    fn advance(&mut self) {
        self.current = match self.src.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                i32::from(b)
            }
            None => EOZ,
        };
    }

    fn save(&mut self, c: i32) {
        self.buff.push(c as u8);
    }

    fn save_and_next(&mut self) {
        self.save(self.current);
        self.advance();
    }

    /// `check_next`: consumes the current byte if it is in `set`. Like `strchr`, a NUL
    /// byte matches too (the C terminator is part of the set), a quirk lua5.1 shows.
    fn check_next(&mut self, set: &[u8]) -> bool {
        if self.current == 0 || set.iter().any(|&b| self.current == i32::from(b)) {
            self.save_and_next();
            true
        } else {
            false
        }
    }

    /// Skips `\n`, `\r`, `\n\r` or `\r\n` and counts one line.
    fn inclinenumber(&mut self) {
        let old = self.current;
        debug_assert!(is_newline(old));
        self.advance();
        if is_newline(self.current) && self.current != old {
            self.advance();
        }
        self.linenumber += 1;
    }

    /// Reads `[` or `]` followed by `=`s; returns the level if the same bracket closes
    /// the sequence, else `-(level) - 1`.
    fn skip_sep(&mut self) -> i32 {
        let s = self.current;
        let mut count = 0;
        self.save_and_next();
        while self.current == i32::from(b'=') {
            self.save_and_next();
            count += 1;
        }
        if self.current == s {
            count
        } else {
            -count - 1
        }
    }

    fn llex(&mut self) -> Result<Token, SyntaxError> {
        use TokenKind as K;
        self.buff.clear();
        loop {
            let c = self.current;
            if c == EOZ {
                return Ok(Token::Plain(K::Eos));
            }
            let ch = c as u8;
            match ch {
                b'\n' | b'\r' => self.inclinenumber(),
                b'-' => {
                    self.advance();
                    if self.current != i32::from(b'-') {
                        return Ok(Token::Plain(K::Char(b'-')));
                    }
                    self.advance();
                    if self.current == i32::from(b'[') {
                        let sep = self.skip_sep();
                        self.buff.clear();
                        if sep >= 0 {
                            self.read_long_string(false, sep)?;
                            self.buff.clear();
                            continue;
                        }
                    }
                    while !is_newline(self.current) && self.current != EOZ {
                        self.advance();
                    }
                }
                b'[' => {
                    let sep = self.skip_sep();
                    if sep >= 0 {
                        return Ok(Token::String(self.read_long_string(true, sep)?));
                    } else if sep == -1 {
                        return Ok(Token::Plain(K::Char(b'[')));
                    } else {
                        return Err(self.error(b"invalid long string delimiter", Some(K::String)));
                    }
                }
                b'=' | b'<' | b'>' | b'~' => {
                    self.advance();
                    if self.current != i32::from(b'=') {
                        return Ok(Token::Plain(K::Char(ch)));
                    }
                    self.advance();
                    return Ok(Token::Plain(match ch {
                        b'=' => K::Eq,
                        b'<' => K::Le,
                        b'>' => K::Ge,
                        _ => K::Ne,
                    }));
                }
                b'"' | b'\'' => return Ok(Token::String(self.read_string(c)?)),
                b'.' => {
                    self.save_and_next();
                    if self.check_next(b".") {
                        if self.check_next(b".") {
                            return Ok(Token::Plain(K::Dots));
                        }
                        return Ok(Token::Plain(K::Concat));
                    } else if !is_digit(self.current) {
                        return Ok(Token::Plain(K::Char(b'.')));
                    }
                    return Ok(Token::Number(self.read_numeral()?));
                }
                _ if is_blank(c) => self.advance(),
                _ if is_digit(c) => return Ok(Token::Number(self.read_numeral()?)),
                _ if is_alpha(c) || ch == b'_' => {
                    while is_alnum(self.current) || self.current == i32::from(b'_') {
                        self.save_and_next();
                    }
                    return Ok(match TokenKind::reserved(&self.buff) {
                        Some(k) => Token::Plain(k),
                        None => Token::Name(self.buff.clone()),
                    });
                }
                _ => {
                    self.advance();
                    return Ok(Token::Plain(K::Char(ch)));
                }
            }
        }
    }

    fn read_numeral(&mut self) -> Result<f64, SyntaxError> {
        debug_assert!(is_digit(self.current));
        loop {
            self.save_and_next();
            if !(is_digit(self.current) || self.current == i32::from(b'.')) {
                break;
            }
        }
        if self.check_next(b"Ee") {
            self.check_next(b"+-");
        }
        while is_alnum(self.current) || self.current == i32::from(b'_') {
            self.save_and_next();
        }
        let text: Vec<u8> = self.buff.iter().copied().take_while(|&b| b != 0).collect();
        str_to_number(&text).ok_or_else(|| self.error(b"malformed number", Some(TokenKind::Number)))
    }

    /// Reads a long string or comment whose opening bracket (of level `sep`) has been
    /// half read; returns the contents (empty for comments).
    fn read_long_string(&mut self, keep: bool, sep: i32) -> Result<Vec<u8>, SyntaxError> {
        self.save_and_next();
        if is_newline(self.current) {
            self.inclinenumber();
        }
        loop {
            match self.current {
                EOZ => {
                    let msg: &[u8] = if keep {
                        b"unfinished long string"
                    } else {
                        b"unfinished long comment"
                    };
                    return Err(self.error(msg, Some(TokenKind::Eos)));
                }
                c if c == i32::from(b'[') => {
                    // LUA_COMPAT_LSTR == 1, as Debian's lua5.1 is built.
                    if self.skip_sep() == sep {
                        self.save_and_next();
                        if sep == 0 {
                            return Err(self.error(
                                b"nesting of [[...]] is deprecated",
                                Some(TokenKind::Char(b'[')),
                            ));
                        }
                    }
                }
                c if c == i32::from(b']') => {
                    if self.skip_sep() == sep {
                        self.save_and_next();
                        break;
                    }
                }
                c if is_newline(c) => {
                    self.save(i32::from(b'\n'));
                    self.inclinenumber();
                    if !keep {
                        self.buff.clear();
                    }
                }
                _ => {
                    if keep {
                        self.save_and_next();
                    } else {
                        self.advance();
                    }
                }
            }
        }
        if !keep {
            return Ok(Vec::new());
        }
        let delim = 2 + sep as usize;
        Ok(self.buff[delim..self.buff.len() - delim].to_vec())
    }

    fn read_string(&mut self, del: i32) -> Result<Vec<u8>, SyntaxError> {
        self.save_and_next();
        while self.current != del {
            match self.current {
                EOZ => return Err(self.error(b"unfinished string", Some(TokenKind::Eos))),
                c if is_newline(c) => {
                    return Err(self.error(b"unfinished string", Some(TokenKind::String)))
                }
                c if c == i32::from(b'\\') => {
                    self.advance();
                    let escaped = match self.current {
                        EOZ => continue,
                        c if is_newline(c) => {
                            self.save(i32::from(b'\n'));
                            self.inclinenumber();
                            continue;
                        }
                        c if is_digit(c) => {
                            let mut value = 0;
                            let mut i = 0;
                            loop {
                                value = 10 * value + (self.current - i32::from(b'0'));
                                self.advance();
                                i += 1;
                                if i >= 3 || !is_digit(self.current) {
                                    break;
                                }
                            }
                            if value > 255 {
                                return Err(self
                                    .error(b"escape sequence too large", Some(TokenKind::String)));
                            }
                            self.save(value);
                            continue;
                        }
                        c => match c as u8 {
                            b'a' => 7,
                            b'b' => 8,
                            b'f' => 12,
                            b'n' => 10,
                            b'r' => 13,
                            b't' => 9,
                            b'v' => 11,
                            _ => {
                                self.save_and_next();
                                continue;
                            }
                        },
                    };
                    self.save(escaped);
                    self.advance();
                }
                _ => self.save_and_next(),
            }
        }
        self.save_and_next();
        Ok(self.buff[1..self.buff.len() - 1].to_vec())
    }
}

/// Converts a numeral's text as `luaO_str2d` does with glibc's `strtod`: the whole text
/// must be a decimal float (`1`, `1.`, `.5`, `1e-3`) or a hexadecimal one (`0x1F`,
/// `0xA.8p1`); anything else is malformed.
fn str_to_number(s: &[u8]) -> Option<f64> {
    if s.len() >= 2 && s[0] == b'0' && (s[1] == b'x' || s[1] == b'X') {
        return hex_to_number(&s[2..]);
    }
    let digits = |from: usize| from + s[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let int_end = digits(0);
    let mut end = int_end;
    let mut mantissa_digits = int_end;
    if s.get(end) == Some(&b'.') {
        let frac_end = digits(end + 1);
        mantissa_digits += frac_end - end - 1;
        end = frac_end;
    }
    if mantissa_digits == 0 {
        return None;
    }
    if matches!(s.get(end), Some(b'e' | b'E')) {
        let mut exp = end + 1;
        if matches!(s.get(exp), Some(b'+' | b'-')) {
            exp += 1;
        }
        let exp_end = digits(exp);
        if exp_end > exp {
            end = exp_end;
        }
    }
    if end != s.len() {
        return None;
    }
    // Rust's parser wants a digit before an exponent ("1.e5" is fine, ".e5" cannot occur).
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// The part of `strtod` that reads `0x` numerals: hex digits, an optional fraction and
/// an optional binary exponent `p±d`, correctly rounded.
fn hex_to_number(s: &[u8]) -> Option<f64> {
    let mut mantissa: u64 = 0;
    let mut sticky = false;
    let mut exp2: i64 = 0;
    let mut any_digit = false;
    let mut i = 0;
    let mut seen_point = false;
    while i < s.len() {
        let b = s[i];
        if b == b'.' && !seen_point {
            seen_point = true;
            i += 1;
            continue;
        }
        let Some(d) = (b as char).to_digit(16) else {
            break;
        };
        any_digit = true;
        if mantissa >> 60 == 0 {
            mantissa = mantissa << 4 | u64::from(d);
            if seen_point {
                exp2 -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp2 += 4;
            }
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let negative = s.get(j) == Some(&b'-');
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let start = j;
        let mut e: i64 = 0;
        while let Some(d) = s.get(j).filter(|b| b.is_ascii_digit()) {
            e = (e * 10 + i64::from(d - b'0')).min(1 << 20);
            j += 1;
        }
        if j > start {
            exp2 += if negative { -e } else { e };
            i = j;
        }
    }
    if i != s.len() {
        return None;
    }
    if sticky {
        mantissa |= 1;
    }
    // u64 -> f64 rounds to nearest even; the sticky bit sits below the rounding bit
    // because the mantissa keeps at least 61 significant bits when anything was dropped.
    let mut value = mantissa as f64;
    let mut e = exp2;
    while e > 0 {
        let step = e.min(1000);
        value *= 2f64.powi(step as i32);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(1000);
        value /= 2f64.powi(step as i32);
        e += step;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<Token> {
        let mut lex = Lexer::new(src.as_bytes(), "t");
        let mut out = Vec::new();
        loop {
            lex.next().unwrap();
            if lex.t == Token::Plain(TokenKind::Eos) {
                return out;
            }
            out.push(lex.t.clone());
        }
    }

    fn first_error(src: &[u8]) -> String {
        let mut lex = Lexer::new(src, "@t.lua");
        loop {
            match lex.next() {
                Err(e) => return e.to_string(),
                Ok(()) if lex.t == Token::Plain(TokenKind::Eos) => panic!("no error"),
                Ok(()) => {}
            }
        }
    }

    fn plain(k: TokenKind) -> Token {
        Token::Plain(k)
    }

    #[test]
    fn every_reserved_word_and_symbol() {
        use TokenKind as K;
        let src = "and break do else elseif end false for function if in local nil not or \
                   repeat return then true until while .. ... == >= <= ~= \
                   + - * / % ^ # < > = ( ) { } [ ] ; : , . ~";
        let expected = vec![
            K::And,
            K::Break,
            K::Do,
            K::Else,
            K::Elseif,
            K::End,
            K::False,
            K::For,
            K::Function,
            K::If,
            K::In,
            K::Local,
            K::Nil,
            K::Not,
            K::Or,
            K::Repeat,
            K::Return,
            K::Then,
            K::True,
            K::Until,
            K::While,
            K::Concat,
            K::Dots,
            K::Eq,
            K::Ge,
            K::Le,
            K::Ne,
            K::Char(b'+'),
            K::Char(b'-'),
            K::Char(b'*'),
            K::Char(b'/'),
            K::Char(b'%'),
            K::Char(b'^'),
            K::Char(b'#'),
            K::Char(b'<'),
            K::Char(b'>'),
            K::Char(b'='),
            K::Char(b'('),
            K::Char(b')'),
            K::Char(b'{'),
            K::Char(b'}'),
            K::Char(b'['),
            K::Char(b']'),
            K::Char(b';'),
            K::Char(b':'),
            K::Char(b','),
            K::Char(b'.'),
            K::Char(b'~'),
        ];
        let got: Vec<TokenKind> = tokens(src).iter().map(Token::kind).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn names() {
        assert_eq!(
            tokens("_x1 x_ andy End"),
            vec![
                Token::Name(b"_x1".to_vec()),
                Token::Name(b"x_".to_vec()),
                Token::Name(b"andy".to_vec()),
                Token::Name(b"End".to_vec()),
            ]
        );
    }

    #[test]
    fn numbers() {
        let nums: Vec<Token> =
            tokens("3 3.0 2.5 250.0e-2 0.25E1 0xff 0x56 .5 5. 1e+2 0x1p4 0XA 1e999")
                .into_iter()
                .collect();
        let expected = [
            3.0,
            3.0,
            2.5,
            2.5,
            2.5,
            255.0,
            86.0,
            0.5,
            5.0,
            100.0,
            16.0,
            10.0,
            f64::INFINITY,
        ];
        assert_eq!(nums.len(), expected.len());
        for (t, e) in nums.iter().zip(expected) {
            assert_eq!(*t, Token::Number(e));
        }
        // `0x1p-4` lexes as `0x1p` (malformed); `3..2` reads the dots into the numeral.
        assert_eq!(
            first_error(b"x = 0x1p-4"),
            "t.lua:1: malformed number near '0x1p'"
        );
        assert_eq!(
            first_error(b"x = 3..2"),
            "t.lua:1: malformed number near '3..2'"
        );
        assert_eq!(
            first_error(b"x = 3x"),
            "t.lua:1: malformed number near '3x'"
        );
        assert_eq!(
            first_error(b"x = 0x"),
            "t.lua:1: malformed number near '0x'"
        );
        assert_eq!(
            first_error(b"x = 1e"),
            "t.lua:1: malformed number near '1e'"
        );
        assert_eq!(
            first_error(b"x = 1e\0"),
            "t.lua:1: malformed number near '1e'"
        );
    }

    #[test]
    fn str_to_number_edges() {
        assert_eq!(str_to_number(b"0x10"), Some(16.0));
        assert_eq!(str_to_number(b"0x.8"), Some(0.5));
        assert_eq!(str_to_number(b"0x1P-2"), Some(0.25));
        assert_eq!(
            str_to_number(b"0xffffffffffffffffff"),
            Some(4_722_366_482_869_645_213_696.0)
        );
        assert_eq!(
            str_to_number(b"0x1fffffffffffff"),
            Some(9_007_199_254_740_991.0)
        );
        assert_eq!(
            str_to_number(b"0x20000000000001"),
            Some(9_007_199_254_740_992.0)
        );
        assert_eq!(
            str_to_number(b"0x20000000000003"),
            Some(9_007_199_254_740_996.0)
        );
        assert_eq!(str_to_number(b"1.5e3"), Some(1500.0));
        assert_eq!(str_to_number(b"1.e3"), Some(1000.0));
        assert_eq!(str_to_number(b"1e"), None);
        assert_eq!(str_to_number(b"."), None);
        assert_eq!(str_to_number(b"1.2.3"), None);
        assert_eq!(str_to_number(b"0x"), None);
        assert_eq!(str_to_number(b"1e-400"), Some(0.0));
    }

    #[test]
    fn short_strings_and_escapes() {
        let toks = tokens(
            r#"'a\'b' "\a\b\f\n\r\t\v\\\"\'" "\65\066\0067x" "\q" "x\
y""#,
        );
        assert_eq!(
            toks,
            vec![
                Token::String(b"a'b".to_vec()),
                Token::String(b"\x07\x08\x0c\n\r\t\x0b\\\"'".to_vec()),
                Token::String(b"AB\x067x".to_vec()),
                Token::String(b"q".to_vec()),
                Token::String(b"x\ny".to_vec()),
            ]
        );
        assert_eq!(tokens("'\\0'"), vec![Token::String(vec![0])]);
    }

    #[test]
    fn long_strings_and_comments() {
        let toks = tokens("[[\nfirst\r\nsecond]] [==[a]]b]=]c]==] --[[ long\ncomment ]] x --[==[\n]==] -- short\ny --[ not long\nz");
        assert_eq!(
            toks,
            vec![
                Token::String(b"first\nsecond".to_vec()),
                Token::String(b"a]]b]=]c".to_vec()),
                Token::Name(b"x".to_vec()),
                Token::Name(b"y".to_vec()),
                Token::Name(b"z".to_vec()),
            ]
        );
        assert_eq!(tokens("[=[]]]=]"), vec![Token::String(b"]]".to_vec())]);
        assert_eq!(
            tokens("[==[[=[x]=]]==]"),
            vec![Token::String(b"[=[x]=]".to_vec())]
        );
    }

    #[test]
    fn line_counting() {
        let mut lex = Lexer::new(
            b"a\nb\r\nc\n\rd\r\re --[[\n\n]] f 'x\\\ny' g [[\n\nz]] h",
            "t",
        );
        let mut lines = Vec::new();
        loop {
            lex.next().unwrap();
            if lex.t == plain(TokenKind::Eos) {
                break;
            }
            lines.push(lex.linenumber);
        }
        assert_eq!(lines, vec![1, 2, 3, 4, 6, 8, 9, 9, 11, 11]);
    }

    #[test]
    fn lookahead_then_next() {
        let mut lex = Lexer::new(b"a = 1", "t");
        lex.next().unwrap();
        assert_eq!(lex.lookahead().unwrap(), TokenKind::Char(b'='));
        assert_eq!(lex.t, Token::Name(b"a".to_vec()));
        lex.next().unwrap();
        assert_eq!(lex.t, plain(TokenKind::Char(b'=')));
        lex.next().unwrap();
        assert_eq!(lex.t, Token::Number(1.0));
    }

    #[test]
    fn lexical_errors_match_lua51() {
        // Each expected text is what `luac5.1 -p` printed for the same source in t.lua.
        assert_eq!(
            first_error(b"x = \"abc"),
            "t.lua:1: unfinished string near '<eof>'"
        );
        assert_eq!(
            first_error(b"x = \"abc\ny\""),
            "t.lua:1: unfinished string near '\"abc'"
        );
        assert_eq!(
            first_error(b"x = '\\300'"),
            "t.lua:1: escape sequence too large near '''"
        );
        assert_eq!(
            first_error(b"x = 'ab\\300'"),
            "t.lua:1: escape sequence too large near ''ab'"
        );
        assert_eq!(
            first_error(b"x = [[abc"),
            "t.lua:1: unfinished long string near '<eof>'"
        );
        assert_eq!(
            first_error(b"--[[abc\n"),
            "t.lua:2: unfinished long comment near '<eof>'"
        );
        assert_eq!(
            first_error(b"x = [==x"),
            "t.lua:1: invalid long string delimiter near '[=='"
        );
        assert_eq!(
            first_error(b"x = [[ a [[ b ]]"),
            "t.lua:1: nesting of [[...]] is deprecated near '['"
        );
    }

    #[test]
    fn nul_byte_matches_check_next_sets() {
        // strchr() finds the terminator, so lua5.1 treats a NUL after '.' as a second
        // '.': `luac5.1 -l` compiles "x = a .\0 b" to a CONCAT.
        assert_eq!(
            tokens("a .\0 b"),
            vec![
                Token::Name(b"a".to_vec()),
                plain(TokenKind::Concat),
                Token::Name(b"b".to_vec()),
            ]
        );
        assert_eq!(tokens("1.\0"), vec![Token::Number(1.0)]);
    }

    #[test]
    fn control_and_high_bytes_are_char_tokens() {
        assert_eq!(tokens("\x01"), vec![plain(TokenKind::Char(1))]);
        let mut lex = Lexer::new(b"\xe9", "t");
        lex.next().unwrap();
        assert_eq!(lex.t, plain(TokenKind::Char(0xe9)));
    }
}
