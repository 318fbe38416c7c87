//! The instruction budget, and the collector's poll that shares its counter.
//!
//! The budget is a bound on how long a program runs, for hosts that run untrusted code
//! (the fuzz targets) and must stop programs that never end. It is charged where a
//! program can go on running without bound: each Lua call and each backward jump (loop
//! iteration). Every other instruction runs at most once between two charges, so a
//! budget of N stops any program after O(N) instructions plus what native functions do.
//! The one native function whose work a short program can repeat at will on a large
//! heap, `collectgarbage`, is charged by the heap's size.
//!
//! The charges count down `budget`, one decrement and test on the fast path; every
//! `POLL_INTERVAL` charges (budget or none) the slow path refills it from
//! `budget_reserve` and polls the collector ([`Collector::safepoint`]): a program that
//! runs without allocating still gives an open cycle its increments, so the cycle ends
//! and its barrier's slower paths with it. Every charge point is a safe point: the
//! running frame's values are in its registers, below the traced extent of the stack.
//!
//! Invariants: the units left are `budget - 1 + budget_reserve`, and `budget` is at least
//! 1 between charges. Once spent, the budget stays spent: every later charge raises the
//! error again, so a `pcall` that catches it cannot keep the program running.

use gc_core::Collector;

use super::{LuaResult, Throw, Vm};
use crate::model::LuaModel;

/// Heap bytes a collection asked for by the program costs one unit of budget for.
const BYTES_PER_UNIT: u64 = 16 << 10;

/// Pattern-matching steps one unit of budget pays for: a step tries one pattern item
/// or takes one alternative, about as much work as a cheap Lua instruction.
const PATTERN_STEPS_PER_UNIT: u64 = 16;

/// Charges (calls and loop iterations) between two polls of the collector: tens of
/// microseconds of interpretation at the least, so that an increment at each poll
/// takes a small share of a program's time, yet often enough that an open cycle ends
/// within a few hundred polls.
pub(super) const POLL_INTERVAL: u64 = 1 << 12;

impl<C: Collector<LuaModel>> Vm<C> {
    /// Bounds how many calls and loop iterations the VM still runs (`None`: no bound).
    /// Past it, the running code raises "instruction budget exhausted", and keeps
    /// raising it at each charge.
    pub fn set_instruction_budget(&mut self, budget: Option<u64>) {
        self.budget = 1;
        self.budget_reserve = budget.unwrap_or(u64::MAX);
        self.budget_limited = budget.is_some();
    }

    /// The units of budget left (meaningless without a budget).
    fn budget_left(&self) -> u64 {
        self.budget - 1 + self.budget_reserve
    }

    /// Charges one unit; true when the countdown is out (the caller then calls
    /// [`Vm::budget_poll`] once its saved pc is current).
    #[inline(always)]
    pub(crate) fn budget_spent(&mut self) -> bool {
        self.budget -= 1;
        self.budget == 0
    }

    /// Charges one unit, taking the slow path when the countdown is out.
    #[inline(always)]
    pub(crate) fn charge_budget(&mut self) -> LuaResult<()> {
        if self.budget_spent() {
            return self.budget_poll();
        }
        Ok(())
    }

    /// The slow path of a charge: raises the error if the budget is spent; otherwise pays
    /// the charge from the reserve, refills the countdown and polls the collector.
    #[cold]
    #[inline(never)]
    pub(crate) fn budget_poll(&mut self) -> LuaResult<()> {
        if self.budget_reserve == 0 {
            return Err(self.budget_exhausted());
        }
        let chunk = (self.budget_reserve - 1).min(POLL_INTERVAL);
        if self.budget_limited {
            self.budget_reserve -= 1 + chunk;
        }
        self.budget = chunk + 1;
        self.heap.gc.safepoint(&mut self.roots);
        Ok(())
    }

    /// Charges a collection the program asked for (`collectgarbage`): a unit per
    /// `BYTES_PER_UNIT` of heap, so collecting in a loop spends the budget as fast as
    /// the work it causes. Free without a budget.
    pub fn charge_collection(&mut self) -> LuaResult<()> {
        if !self.budget_limited {
            return Ok(());
        }
        let units = self.heap.gc.heap_bytes() / BYTES_PER_UNIT + 1;
        self.spend_units(units)
    }

    /// Takes `units` from what is left, raising the error if that is not more.
    fn spend_units(&mut self, units: u64) -> LuaResult<()> {
        if units >= self.budget_left() {
            return Err(self.budget_exhausted());
        }
        let from_reserve = units.min(self.budget_reserve);
        self.budget_reserve -= from_reserve;
        self.budget -= units - from_reserve;
        Ok(())
    }

    /// The steps a pattern match may take with what is left of the budget: the string
    /// library's matcher backtracks exponentially on some patterns, in 5.1 too, and is
    /// native code that charges no calls or loop iterations of its own.
    pub(crate) fn pattern_steps(&self) -> u64 {
        if !self.budget_limited {
            return u64::MAX;
        }
        self.budget_left().saturating_mul(PATTERN_STEPS_PER_UNIT)
    }

    /// Charges, once per native call, the steps a matcher took since `pattern_steps` gave
    /// it `allowed`, given the `left` it still has (rounded up to whole units, so that a
    /// call taking a few steps is never free).
    pub(crate) fn charge_pattern_steps(&mut self, allowed: u64, left: u64) -> LuaResult<()> {
        if !self.budget_limited {
            return Ok(());
        }
        self.spend_units((allowed - left).div_ceil(PATTERN_STEPS_PER_UNIT))
    }

    /// The error of a spent budget; the next charge fails again.
    #[cold]
    #[inline(never)]
    pub(crate) fn budget_exhausted(&mut self) -> Throw {
        self.budget = 1;
        self.budget_reserve = 0;
        self.runtime_error("instruction budget exhausted")
    }
}
