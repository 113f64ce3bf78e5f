// Iterator invalidation: `for x in &v` borrows `v` for the whole loop, so `v.push` inside fails.
fn main() {
    let mut v = vec![1, 2, 3];
    for x in &v { //~ LABEL E0502 immutable borrow occurs here
    //~| LABEL E0502 immutable borrow later used here
        v.push(*x * 10); //~ ERROR E0502 cannot borrow `v` as mutable because it is also borrowed as immutable
    }
}
