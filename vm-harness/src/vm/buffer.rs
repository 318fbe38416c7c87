//! Buffers the VM builds outside the heap from program input (a string being
//! assembled by `..`, `string.rep`, `table.concat`, `string.gsub`, `string.format`,
//! `io.read`, through `reserve_within`): bounded by the heap limit, since their contents end up in the heap, and
//! grown with `try_reserve`, so a refused allocation is Lua's catchable "not enough
//! memory" rather than an abort.
//!
//! Invariant: under a heap limit, a buffer grown only through these helpers never has
//! a capacity above the limit, so building a string takes at most the limit outside
//! the heap besides the heap itself.

use gc_core::Collector;

use super::{LuaResult, Vm};
use crate::convert::format_number;
use crate::model::LuaModel;

/// Room for a number's text (`%.14g`: sign, 14 digits, point, exponent).
const NUMBER_TEXT_MAX: usize = 32;

impl<C: Collector<LuaModel>> Vm<C> {
    /// Makes room for `additional` more bytes in `buf`, or fails with "not enough
    /// memory" if that would take it past the heap limit or the system refuses.
    #[inline]
    pub fn reserve_buffer(&mut self, buf: &mut Vec<u8>, additional: usize) -> LuaResult<()> {
        if additional <= buf.capacity() - buf.len() {
            return Ok(());
        }
        self.grow_buffer(buf, additional)
    }

    /// Appends `bytes` to `buf` within the limits of [`Vm::reserve_buffer`].
    #[inline]
    pub fn append_buffer(&mut self, buf: &mut Vec<u8>, bytes: &[u8]) -> LuaResult<()> {
        self.reserve_buffer(buf, bytes.len())?;
        buf.extend_from_slice(bytes);
        Ok(())
    }

    /// Appends a number's text (as `tostring` writes it) to `buf`.
    #[inline]
    pub fn append_number(&mut self, buf: &mut Vec<u8>, n: f64) -> LuaResult<()> {
        self.reserve_buffer(buf, NUMBER_TEXT_MAX)?;
        format_number(n, buf);
        Ok(())
    }

    /// The most a buffer may hold: the heap limit, if there is one.
    pub fn buffer_limit(&self) -> usize {
        self.heap.gc.heap_limit().unwrap_or(isize::MAX as usize)
    }

    #[cold]
    #[inline(never)]
    fn grow_buffer(&mut self, buf: &mut Vec<u8>, additional: usize) -> LuaResult<()> {
        reserve_within(buf, additional, self.buffer_limit())
            .map_err(|BufferFull| self.out_of_memory())
    }
}

/// A buffer could not grow: it would pass its limit, or memory was refused.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BufferFull;

/// Makes room for `additional` more bytes in `buf` without its capacity passing `limit`.
pub(crate) fn reserve_within(
    buf: &mut Vec<u8>,
    additional: usize,
    limit: usize,
) -> Result<(), BufferFull> {
    if additional <= buf.capacity() - buf.len() {
        return Ok(());
    }
    let needed = buf
        .len()
        .checked_add(additional)
        .filter(|&n| n <= limit)
        .ok_or(BufferFull)?;
    // Doubling keeps appends amortised; the cap keeps the invariant.
    let target = needed.max(buf.capacity().saturating_mul(2)).min(limit);
    buf.try_reserve_exact(target - buf.len())
        .or_else(|_| buf.try_reserve_exact(additional))
        .map_err(|_| BufferFull)
}
