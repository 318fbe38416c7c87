//! Tokens of Lua 5.1 and their spelling in error messages.
//!
//! Invariants: [`TokenKind`] is the payload-free shape the parser compares against;
//! [`Token`] adds the semantic value of names, strings and numbers. Names are always
//! ASCII (the lexer follows the C locale), strings are arbitrary bytes.

/// A token without its semantic value, what the parser tests and what
/// "'x' expected" messages name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `and`
    And,
    /// `break`
    Break,
    /// `do`
    Do,
    /// `else`
    Else,
    /// `elseif`
    Elseif,
    /// `end`
    End,
    /// `false`
    False,
    /// `for`
    For,
    /// `function`
    Function,
    /// `if`
    If,
    /// `in`
    In,
    /// `local`
    Local,
    /// `nil`
    Nil,
    /// `not`
    Not,
    /// `or`
    Or,
    /// `repeat`
    Repeat,
    /// `return`
    Return,
    /// `then`
    Then,
    /// `true`
    True,
    /// `until`
    Until,
    /// `while`
    While,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Eq,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `~=`
    Ne,
    /// A numeral.
    Number,
    /// An identifier.
    Name,
    /// A short or long string literal.
    String,
    /// End of the source.
    Eos,
    /// Any single-byte token (`+`, `=`, `(`, ...), including bytes that start no
    /// token at all, which the parser then rejects.
    Char(u8),
}

/// A token with its semantic value.
#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    /// A token that carries no value.
    Plain(TokenKind),
    /// A numeral and its value.
    Number(f64),
    /// An identifier (ASCII letters, digits and `_`).
    Name(Vec<u8>),
    /// A string literal's contents, escapes resolved.
    String(Vec<u8>),
}

impl Token {
    /// The token's kind.
    pub fn kind(&self) -> TokenKind {
        match self {
            Token::Plain(k) => *k,
            Token::Number(_) => TokenKind::Number,
            Token::Name(_) => TokenKind::Name,
            Token::String(_) => TokenKind::String,
        }
    }
}

/// Reserved words in `luaX_tokens` order, paired with their kinds.
pub const RESERVED: [(&str, TokenKind); 21] = [
    ("and", TokenKind::And),
    ("break", TokenKind::Break),
    ("do", TokenKind::Do),
    ("else", TokenKind::Else),
    ("elseif", TokenKind::Elseif),
    ("end", TokenKind::End),
    ("false", TokenKind::False),
    ("for", TokenKind::For),
    ("function", TokenKind::Function),
    ("if", TokenKind::If),
    ("in", TokenKind::In),
    ("local", TokenKind::Local),
    ("nil", TokenKind::Nil),
    ("not", TokenKind::Not),
    ("or", TokenKind::Or),
    ("repeat", TokenKind::Repeat),
    ("return", TokenKind::Return),
    ("then", TokenKind::Then),
    ("true", TokenKind::True),
    ("until", TokenKind::Until),
    ("while", TokenKind::While),
];

impl TokenKind {
    /// The reserved word spelled `word`, if it is one.
    pub fn reserved(word: &[u8]) -> Option<TokenKind> {
        RESERVED
            .iter()
            .find(|(w, _)| w.as_bytes() == word)
            .map(|&(_, k)| k)
    }

    /// The token's spelling as `luaX_token2str` gives it: the word or symbol itself,
    /// `<name>`-style placeholders for valued tokens, `char(N)` for control bytes.
    /// Bytes, because a stray non-ASCII byte is printed raw, as the C code does.
    pub fn to_bytes(self) -> Vec<u8> {
        let fixed = match self {
            TokenKind::Concat => "..",
            TokenKind::Dots => "...",
            TokenKind::Eq => "==",
            TokenKind::Ge => ">=",
            TokenKind::Le => "<=",
            TokenKind::Ne => "~=",
            TokenKind::Number => "<number>",
            TokenKind::Name => "<name>",
            TokenKind::String => "<string>",
            TokenKind::Eos => "<eof>",
            TokenKind::Char(c) if c < 32 || c == 127 => return format!("char({c})").into_bytes(),
            TokenKind::Char(c) => return vec![c],
            reserved => {
                return RESERVED
                    .iter()
                    .find(|&&(_, k)| k == reserved)
                    .map(|(w, _)| w.as_bytes().to_vec())
                    .unwrap_or_default()
            }
        };
        fixed.as_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_follows_token2str() {
        assert_eq!(TokenKind::Elseif.to_bytes(), b"elseif");
        assert_eq!(TokenKind::While.to_bytes(), b"while");
        assert_eq!(TokenKind::Eos.to_bytes(), b"<eof>");
        assert_eq!(TokenKind::Name.to_bytes(), b"<name>");
        assert_eq!(TokenKind::Char(b'=').to_bytes(), b"=");
        assert_eq!(TokenKind::Char(1).to_bytes(), b"char(1)");
        assert_eq!(TokenKind::Char(0xe9).to_bytes(), vec![0xe9]);
    }

    #[test]
    fn reserved_words() {
        for (w, k) in RESERVED {
            assert_eq!(TokenKind::reserved(w.as_bytes()), Some(k));
            assert_eq!(k.to_bytes(), w.as_bytes());
        }
        assert_eq!(TokenKind::reserved(b"End"), None);
        assert_eq!(Token::Name(b"x".to_vec()).kind(), TokenKind::Name);
    }
}
