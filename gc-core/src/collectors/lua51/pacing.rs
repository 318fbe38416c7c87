//! Lua 5.1's pacing (`luaC_step`, `setthreshold`): a step runs when the heap reaches the
//! threshold; it does `stepmul` percent of `STEP_SIZE` units of work, then sets the next
//! threshold `STEP_SIZE` bytes further (or at once, while the collector is in debt). A
//! cycle's end sets the threshold at `pause` percent of the estimate of the live heap.

/// Bytes of allocation a step pays for (5.1's `GCSTEPSIZE`).
pub(super) const STEP_SIZE: u64 = 1024;
/// Blocks one sweep increment visits (5.1's `GCSWEEPMAX`).
pub(super) const SWEEP_MAX: usize = 40;
/// The work a sweep increment is charged per block visited (5.1's `GCSWEEPCOST`).
pub(super) const SWEEP_COST: u64 = 10;
/// String-table buckets one increment of the string sweep prunes (5.1 sweeps one chain).
pub(super) const SWEEP_STRING_BUCKETS: usize = 1;

/// The pacing state.
pub(super) struct Pacing {
    /// The heap size (malloc space bytes) at which the next step runs (`GCthreshold`).
    pub threshold: u64,
    /// How far allocation ran past the thresholds while a cycle was on (`gcdept`).
    pub debt: u64,
    /// The live heap as the running cycle estimates it (`estimate`): the heap at the
    /// atomic phase, less what the sweep frees.
    pub estimate: u64,
    /// Lua's `setpause`, in percent.
    pub pause_percent: u32,
    /// Lua's `setstepmul`, in percent.
    pub stepmul_percent: u32,
    /// `collectgarbage("stop")` is in force: the threshold stays out of reach (5.1
    /// itself would set it again at the end of an explicit collection).
    pub stopped: bool,
}

impl Pacing {
    /// Pacing with Lua's knobs; the first step runs at the first allocation, as in 5.1,
    /// whose threshold starts at four times the new state's few hundred bytes.
    pub fn new(pause_percent: u32, stepmul_percent: u32) -> Self {
        Pacing {
            threshold: 0,
            debt: 0,
            estimate: 0,
            pause_percent,
            stepmul_percent,
            stopped: false,
        }
    }

    /// The work one step does (5.1 computes `GCSTEPSIZE / 100 * stepmul` in integers);
    /// a `stepmul` of 0 means no limit: a step runs a whole cycle.
    pub fn step_work(&self) -> i64 {
        match (STEP_SIZE / 100) as i64 * i64::from(self.stepmul_percent) {
            0 => i64::MAX / 2,
            work => work,
        }
    }

    /// After a step that left the cycle running, with the heap at `heap_bytes`: the next
    /// step runs one `STEP_SIZE` later, or at once while in debt.
    pub fn after_step(&mut self, heap_bytes: u64) {
        if self.stopped {
            self.threshold = u64::MAX;
        } else if self.debt < STEP_SIZE {
            self.threshold = heap_bytes + STEP_SIZE;
        } else {
            self.debt -= STEP_SIZE;
            self.threshold = heap_bytes;
        }
    }

    /// When a cycle ends: the next starts at `pause` percent of the estimate.
    pub fn after_cycle(&mut self) {
        self.threshold = if self.stopped {
            u64::MAX
        } else {
            self.estimate / 100 * u64::from(self.pause_percent)
        };
    }

    /// `collectgarbage("stop")` (false) or `("restart")` (true, the next step at
    /// `heap_bytes`, as in 5.1).
    pub fn set_auto(&mut self, enabled: bool, heap_bytes: u64) {
        self.stopped = !enabled;
        self.threshold = if enabled { heap_bytes } else { u64::MAX };
    }
}
