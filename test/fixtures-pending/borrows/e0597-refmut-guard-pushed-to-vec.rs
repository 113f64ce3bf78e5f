// Guards from cells created in a loop body are kept in a Vec outside the loop.
use std::cell::RefCell;

fn main() {
    let mut guards = Vec::new();
    for i in 0..2 {
        let cell = RefCell::new(i); //~ LABEL E0597 binding `cell` declared here
        guards.push(cell.borrow_mut()); //~ ERROR E0597 `cell` does not live long enough
        //~| LABEL E0597 borrow later used here
    } //~ LABEL E0597 `cell` dropped here while still borrowed
    println!("{}", guards.len());
}
