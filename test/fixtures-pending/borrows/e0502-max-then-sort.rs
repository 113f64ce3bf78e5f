// `max()` returns a reference into the Vec; sorting while it is still used conflicts.
fn main() {
    let mut v = vec![4, 9, 2];
    let biggest = v.iter().max().unwrap(); //~ LABEL E0502 immutable borrow occurs here
    v.sort(); //~ ERROR E0502 cannot borrow `v` as mutable because it is also borrowed as immutable
    println!("{} {:?}", biggest, v); //~ LABEL E0502 immutable borrow later used here
}
