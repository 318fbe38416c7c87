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

/// The largest buffer kept as the VM's spare: room for the strings programs usually
/// build, while a huge one's memory is not held for good.
const SPARE_BUFFER_KEPT: usize = 64 << 10;

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

    /// Keeps `buf`'s memory for the next `..` or number conversion
    /// (`Vm::spare_buffer`), unless it is big: building strings in a loop then takes
    /// no `malloc` per string.
    pub(crate) fn keep_spare_buffer(&mut self, mut buf: Vec<u8>) {
        if buf.capacity() <= SPARE_BUFFER_KEPT {
            buf.clear();
            self.spare_buffer = buf;
        }
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

#[cfg(test)]
mod tests {
    use gc_core::collectors::Stw;
    use gc_core::{Collector, HeapConfig};

    use super::SPARE_BUFFER_KEPT;
    use crate::compiler::CompileOptions;
    use crate::model::LuaModel;
    use crate::vm::{Vm, VmOptions};

    fn run(vm: &mut Vm<Stw<LuaModel>>, source: &str) {
        let f = match vm.load(source.as_bytes(), "=test", CompileOptions::default()) {
            Ok(Ok(f)) => f,
            _ => panic!("does not compile: {source}"),
        };
        vm.roots.temps.push(f);
        vm.run_function(f, &[]).expect("runs");
        vm.roots.temps.pop();
    }

    /// A concatenation leaves its buffer's memory for the next one, unless it is big.
    #[test]
    fn concatenation_keeps_a_small_spare_buffer_only() {
        let mut vm =
            Vm::new(Stw::new(HeapConfig::default()), &VmOptions { gc_stress: 0 }).expect("boot");
        run(&mut vm, "s = 'key' .. 1 .. 'x'");
        let kept = vm.spare_buffer.capacity();
        assert!(kept > 0 && vm.spare_buffer.is_empty(), "kept {kept}");
        run(&mut vm, "s = s .. string.rep('y', 1000000) .. 'z'");
        assert!(vm.spare_buffer.capacity() <= SPARE_BUFFER_KEPT);
        run(&mut vm, "t = tostring(12.5) .. 'a'");
        assert!(vm.spare_buffer.capacity() > 0);
    }
}
