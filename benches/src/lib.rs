//! Benchmarks of gc-core. The criterion micro-benchmarks live in `benches/`; the heap
//! builders they share live here, so every benchmark measures the same shapes. The
//! comparative harness behind the `gcbench` command is [`gcbench`].

pub mod gcbench;

use gc_core::heap::arena::ArenaKind;
use gc_core::heap::Heap;
use gc_core::testing::{node_bytes, Node, NODE_KIND};
use gc_core::ObjectRef;

/// Allocates a node with `slots` empty slots.
pub fn alloc_node(heap: &mut Heap, id: u64, slots: u16) -> Node {
    let bytes = node_bytes(usize::from(slots));
    let obj = heap
        .alloc_growing(ArenaKind::Objects, NODE_KIND, bytes, 0)
        .expect("benchmark heaps have no limit");
    // SAFETY: a fresh block of node_bytes(slots) bytes.
    unsafe { Node::init(obj, id, slots) }
}

/// Allocates a leaf block of `bytes`.
pub fn alloc_leaf(heap: &mut Heap, bytes: usize) -> ObjectRef {
    heap.alloc_growing(ArenaKind::Leaves, 0, bytes, 0)
        .expect("benchmark heaps have no limit")
}

/// Builds a complete binary tree of `depth` levels below the root (2^(depth+1) - 1 nodes of
/// 32 bytes), depth first, as the binary-trees benchmark does. Returns the root.
pub fn binary_tree(heap: &mut Heap, depth: u32) -> ObjectRef {
    let node = alloc_node(heap, u64::from(depth), 2);
    if depth > 0 {
        let left = binary_tree(heap, depth - 1);
        let right = binary_tree(heap, depth - 1);
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { node.set_slot(0, Some(left)) };
        // SAFETY: live nodes of this collector; the barrier ran, the node is new, or none marks.
        unsafe { node.set_slot(1, Some(right)) };
    }
    node.obj()
}
