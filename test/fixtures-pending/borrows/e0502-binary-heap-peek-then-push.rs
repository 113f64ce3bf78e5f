// `peek` borrows the heap; pushing while the peeked value is still used conflicts.
use std::collections::BinaryHeap;

fn main() {
    let mut heap = BinaryHeap::new();
    heap.push(3);
    let top = heap.peek(); //~ LABEL E0502 immutable borrow occurs here
    heap.push(8); //~ ERROR E0502 cannot borrow `heap` as mutable because it is also borrowed as immutable
    println!("{:?}", top); //~ LABEL E0502 immutable borrow later used here
}
