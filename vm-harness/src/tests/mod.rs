//! Tests that reach inside the VM: they hold heap handles (`Value`, `TableRef`), or
//! plug a collector or a native function in, which only the crate itself may do.

mod barriers;
mod close;
mod objects;
