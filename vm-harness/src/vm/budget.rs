//! The instruction budget: a bound on how long a program runs, for hosts that run
//! untrusted code (the fuzz targets) and must stop programs that never end.
//!
//! The budget is charged where a program can go on running without bound: each Lua
//! call and each backward jump (loop iteration). Every other instruction runs at most
//! once between two charges, so a budget of N stops any program after O(N)
//! instructions plus what native functions do. The one native function whose work a
//! short program can repeat at will on a large heap, `collectgarbage`, is charged by
//! the heap's size.
//!
//! Invariant: once spent, the budget stays spent: every later charge raises the error
//! again, so a `pcall` that catches it cannot keep the program running.

use gc_core::Collector;

use super::{LuaResult, Throw, Vm};
use crate::model::LuaModel;

/// Heap bytes a collection asked for by the program costs one unit of budget for.
const BYTES_PER_UNIT: u64 = 16 << 10;

/// Pattern-matching steps one unit of budget pays for: a step tries one pattern item
/// or takes one alternative, about as much work as a cheap Lua instruction.
const PATTERN_STEPS_PER_UNIT: u64 = 16;

/// The budget of a VM without one: never spent in practice (a charge takes at least
/// a nanosecond, so 2^64 of them take centuries).
pub(super) const UNLIMITED: u64 = u64::MAX;

impl<C: Collector<LuaModel>> Vm<C> {
    /// Bounds how many calls and loop iterations the VM still runs (`None`: no bound).
    /// Past it, the running code raises "instruction budget exhausted", and keeps
    /// raising it at each charge.
    pub fn set_instruction_budget(&mut self, budget: Option<u64>) {
        self.budget = budget.map_or(UNLIMITED, |n| n.saturating_add(1));
    }

    /// Charges one unit; true when the budget is spent (the caller then raises
    /// [`Vm::budget_exhausted`] once its saved pc is current).
    #[inline(always)]
    pub(crate) fn budget_spent(&mut self) -> bool {
        self.budget -= 1;
        self.budget == 0
    }

    /// Charges one unit, raising the error when the budget is spent.
    #[inline(always)]
    pub(crate) fn charge_budget(&mut self) -> LuaResult<()> {
        if self.budget_spent() {
            return Err(self.budget_exhausted());
        }
        Ok(())
    }

    /// Charges a collection the program asked for (`collectgarbage`): a unit per
    /// `BYTES_PER_UNIT` of heap, so collecting in a loop spends the budget as fast as
    /// the work it causes. Free without a budget.
    pub fn charge_collection(&mut self) -> LuaResult<()> {
        if self.budget == UNLIMITED {
            return Ok(());
        }
        let units = self.heap.gc.heap_bytes() / BYTES_PER_UNIT + 1;
        if units >= self.budget - 1 {
            return Err(self.budget_exhausted());
        }
        self.budget -= units;
        Ok(())
    }

    /// The steps a pattern match may take with what is left of the budget: the string
    /// library's matcher backtracks exponentially on some patterns, in 5.1 too, and is
    /// native code that charges no calls or loop iterations of its own.
    pub(crate) fn pattern_steps(&self) -> u64 {
        if self.budget == UNLIMITED {
            return u64::MAX;
        }
        self.budget.saturating_mul(PATTERN_STEPS_PER_UNIT)
    }

    /// Charges, once per native call, the steps a matcher took since `pattern_steps` gave
    /// it `allowed`, given the `left` it still has (rounded up to whole units, so that a
    /// call taking a few steps is never free).
    pub(crate) fn charge_pattern_steps(&mut self, allowed: u64, left: u64) -> LuaResult<()> {
        if self.budget == UNLIMITED {
            return Ok(());
        }
        let units = (allowed - left).div_ceil(PATTERN_STEPS_PER_UNIT);
        if units >= self.budget - 1 {
            return Err(self.budget_exhausted());
        }
        self.budget -= units;
        Ok(())
    }

    /// The error of a spent budget; the next charge fails again.
    #[cold]
    #[inline(never)]
    pub(crate) fn budget_exhausted(&mut self) -> Throw {
        self.budget = 1;
        self.runtime_error("instruction budget exhausted")
    }
}
