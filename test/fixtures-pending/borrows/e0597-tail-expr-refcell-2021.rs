// Before edition 2024, the temporary `Ref` in a block's tail expression is dropped after the
// block's locals, so it outlives `cell`.
use std::cell::RefCell;

fn count() -> usize {
    let cell = RefCell::new(vec![1, 2]); //~ LABEL E0597 binding `cell` declared here
    cell.borrow().len() //~ ERROR E0597 `cell` does not live long enough
} //~ LABEL E0597 `cell` dropped here while still borrowed
//~| LABEL E0597 and the borrow might be used here, when that temporary is dropped

fn main() {
    println!("{}", count());
}
