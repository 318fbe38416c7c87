//! The block/mark bitmap encoding and the word operations on it.
//!
//! Each cell has a block bit and a mark bit. On the first cell of a block, (block, mark):
//!
//! | block | mark | state                                             |
//! |-------|------|---------------------------------------------------|
//! | 0     | 0    | extent: continues the block that starts before it |
//! | 0     | 1    | free                                              |
//! | 1     | 0    | white (allocated, not marked)                     |
//! | 1     | 1    | black (allocated, marked)                         |
//!
//! Allocating sets one block bit, marking one mark bit, whatever the block's size. A block
//! ends where the next block (allocated or free) starts, or at the arena's end. Free space
//! never ends a block implicitly: the bump allocator writes a free start (0, 1) where its
//! region stops.
//!
//! The major sweep is two word operations per 64 cells, reading only this metadata:
//! `block' = block & mark; mark' = block ^ mark`. White becomes free (1,0 -> 0,1), black
//! becomes white (1,1 -> 1,0), free and extent stay as they are. No black block survives it.
//!
//! The minor sweep of generational mode keeps the marks ("sticky mark bits"):
//! `block' = block & mark; mark' = block | mark`. White becomes free, black stays black
//! (old), free and extent stay. Unmarking (`mark' = mark & !block`) turns black back into
//! white and keeps free starts: it ends generational mode's sticky marks before a full
//! marking.

/// The state a cell's two bits give a block's first cell.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum BlockState {
    /// (0, 0): not a block start.
    Extent,
    /// (0, 1): a free block starts here.
    Free,
    /// (1, 0): an allocated, unmarked block.
    White,
    /// (1, 1): an allocated, marked block.
    Black,
}

impl BlockState {
    /// Decodes a cell's (block, mark) bits.
    pub fn from_bits(block: bool, mark: bool) -> BlockState {
        match (block, mark) {
            (false, false) => BlockState::Extent,
            (false, true) => BlockState::Free,
            (true, false) => BlockState::White,
            (true, true) => BlockState::Black,
        }
    }
}

/// One word of the major sweep: returns `(block', mark')`.
#[inline(always)]
pub fn sweep_major_word(block: u64, mark: u64) -> (u64, u64) {
    (block & mark, block ^ mark)
}

/// One word of the minor sweep: returns `(block', mark')`.
#[inline(always)]
pub fn sweep_minor_word(block: u64, mark: u64) -> (u64, u64) {
    (block & mark, block | mark)
}

/// Which sweep: the major one whitens survivors, the minor one keeps them black (old).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum SweepKind {
    /// `block' = block & mark; mark' = block ^ mark`.
    Major,
    /// `block' = block & mark; mark' = block | mark`.
    Minor,
}

/// What a sweep learned about an arena, for the allocator's and the arena pool's decisions.
#[derive(Copy, Clone, Default, PartialEq, Eq, Debug)]
pub struct SweepSummary {
    /// Some block is still allocated: the arena cannot go back to the OS.
    pub allocated: bool,
    /// Some block is free: the allocator can reuse space in this arena.
    pub free: bool,
}

/// The major sweep over the data words of one arena's bitmaps.
///
/// The loop is branch-free word arithmetic so it vectorises; its cost is linear in the
/// arena count and independent of the number of objects.
#[inline]
pub fn sweep_major(block: &mut [u64], mark: &mut [u64]) -> SweepSummary {
    sweep_words(block, mark, sweep_major_word)
}

/// The minor sweep over the data words of one arena's bitmaps.
#[inline]
pub fn sweep_minor(block: &mut [u64], mark: &mut [u64]) -> SweepSummary {
    sweep_words(block, mark, sweep_minor_word)
}

/// The sweep of `kind` over one arena's data words.
#[inline]
pub fn sweep(block: &mut [u64], mark: &mut [u64], kind: SweepKind) -> SweepSummary {
    match kind {
        SweepKind::Major => sweep_major(block, mark),
        SweepKind::Minor => sweep_minor(block, mark),
    }
}

#[inline(always)]
fn sweep_words(
    block: &mut [u64],
    mark: &mut [u64],
    word_op: impl Fn(u64, u64) -> (u64, u64),
) -> SweepSummary {
    let mut any_block = 0;
    let mut any_free = 0;
    for (b, m) in block.iter_mut().zip(mark.iter_mut()) {
        let (new_block, new_mark) = word_op(*b, *m);
        *b = new_block;
        *m = new_mark;
        any_block |= new_block;
        // Free starts: the mark without the block (after a major sweep, every mark).
        any_free |= new_mark & !new_block;
    }
    SweepSummary {
        allocated: any_block != 0,
        free: any_free != 0,
    }
}

/// Unmarks every block of one arena's data words: black becomes white, free starts stay.
#[inline]
pub fn unmark(block: &[u64], mark: &mut [u64]) {
    for (b, m) in block.iter().zip(mark.iter_mut()) {
        *m &= !*b;
    }
}

/// The first set bit at or after `from` and before `end` in the bit string whose words
/// `word_at` returns, or `end` if there is none. `word_at` lets one scan serve plain,
/// atomic and combined (`block | mark`) bitmaps alike.
#[inline]
pub fn next_set_bit(word_at: impl Fn(usize) -> u64, from: usize, end: usize) -> usize {
    if from >= end {
        return end;
    }
    let mut word_index = from >> 6;
    let mut word = word_at(word_index) & (!0u64 << (from & 63));
    loop {
        if word != 0 {
            let bit = (word_index << 6) + word.trailing_zeros() as usize;
            return bit.min(end);
        }
        word_index += 1;
        if word_index << 6 >= end {
            return end;
        }
        word = word_at(word_index);
    }
}

/// Clears bits `from..end` of `words`.
pub fn clear_bits(words: &mut [u64], from: usize, end: usize) {
    let mut bit = from;
    while bit < end {
        let word_end = ((bit | 63) + 1).min(end);
        let width = word_end - bit;
        let mask = if width == 64 {
            !0
        } else {
            ((1u64 << width) - 1) << (bit & 63)
        };
        words[bit >> 6] &= !mask;
        bit = word_end;
    }
}

/// Reads one bit.
#[inline(always)]
pub fn bit(words: &[u64], index: usize) -> bool {
    words[index >> 6] & (1 << (index & 63)) != 0
}

/// Sets or clears one bit.
#[inline(always)]
pub fn set_bit(words: &mut [u64], index: usize, value: bool) {
    let mask = 1u64 << (index & 63);
    if value {
        words[index >> 6] |= mask;
    } else {
        words[index >> 6] &= !mask;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(block: u64, mark: u64, cell: usize) -> BlockState {
        BlockState::from_bits(block >> cell & 1 == 1, mark >> cell & 1 == 1)
    }

    /// Exhaustive over 8-cell words: every (block, mark) pair of bytes.
    #[test]
    fn major_sweep_word_frees_white_whitens_black_keeps_free_and_extent() {
        for block in 0u64..256 {
            for mark in 0u64..256 {
                let (b, m) = sweep_major_word(block, mark);
                for cell in 0..8 {
                    let expected = match state(block, mark, cell) {
                        BlockState::White | BlockState::Free => BlockState::Free,
                        BlockState::Black => BlockState::White,
                        BlockState::Extent => BlockState::Extent,
                    };
                    assert_eq!(
                        state(b, m, cell),
                        expected,
                        "block {block:08b} mark {mark:08b}"
                    );
                }
                assert_eq!(b & m, 0, "no black block survives a major sweep");
            }
        }
    }

    /// Exhaustive over 8-cell words, as for the major sweep.
    #[test]
    fn minor_sweep_word_frees_white_keeps_black_free_and_extent() {
        for block in 0u64..256 {
            for mark in 0u64..256 {
                let (b, m) = sweep_minor_word(block, mark);
                let mut unmarked = mark;
                unmark(&[block], std::slice::from_mut(&mut unmarked));
                for cell in 0..8 {
                    let before = state(block, mark, cell);
                    let expected = match before {
                        BlockState::White | BlockState::Free => BlockState::Free,
                        other => other,
                    };
                    assert_eq!(
                        state(b, m, cell),
                        expected,
                        "block {block:08b} mark {mark:08b}"
                    );
                    let expected_unmarked = match before {
                        BlockState::Black => BlockState::White,
                        other => other,
                    };
                    assert_eq!(state(block, unmarked, cell), expected_unmarked);
                }
            }
        }
    }

    #[test]
    fn sweep_summary_sees_allocated_and_free() {
        let mut block = [0b1010u64, 0];
        let mut mark = [0b0010u64, 0];
        let summary = sweep_major(&mut block, &mut mark);
        assert_eq!(block, [0b0010, 0]);
        assert_eq!(mark, [0b1000, 0]);
        assert_eq!(
            summary,
            SweepSummary {
                allocated: true,
                free: true
            }
        );

        let mut block = [0u64; 2];
        let mut mark = [1u64 << 63, 0];
        assert_eq!(
            sweep_major(&mut block, &mut mark),
            SweepSummary {
                allocated: false,
                free: true
            }
        );
    }

    #[test]
    fn next_set_bit_matches_a_linear_scan() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..200 {
            let words: Vec<u64> = (0..4)
                .map(|_| {
                    if rng.bool() {
                        rng.u64(..) & rng.u64(..) & rng.u64(..)
                    } else {
                        0
                    }
                })
                .collect();
            let from = rng.usize(0..256);
            let end = rng.usize(from..=256);
            let expected = (from..end).find(|&i| bit(&words, i)).unwrap_or(end);
            assert_eq!(next_set_bit(|w| words[w], from, end), expected);
        }
    }

    #[test]
    fn clear_bits_clears_exactly_the_range() {
        for from in 0..130 {
            for end in from..=130 {
                let mut words = [!0u64; 3];
                clear_bits(&mut words, from, end);
                for i in 0..192 {
                    assert_eq!(
                        bit(&words, i),
                        !(from..end).contains(&i),
                        "{from}..{end} @{i}"
                    );
                }
            }
        }
    }
}
