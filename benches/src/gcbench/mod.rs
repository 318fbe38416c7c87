//! `gcbench`, the comparative harness: a matrix file says which configurations (luagc
//! collectors with their options, external Lua interpreters) run which workloads how
//! often; every run is measured from outside the child the same way, checked against the
//! others' checksum and kept raw in a results file, from which the report (medians with
//! bootstrap intervals, LBO in wall and CPU time, pauses, space) is regenerated.

pub mod characterize;
pub mod configs;
pub mod environment;
pub mod latency;
pub mod matrix;
pub mod measure;
pub mod minheap;
pub mod paper;
pub mod plots;
pub mod progress;
pub mod report;
pub mod results;
pub mod stats;
pub mod summary;
pub mod sweep;
