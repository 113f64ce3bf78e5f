// `swap` is a slice method: the receiver `&mut *v` goes through `DerefMut`, which is not a
// two-phase borrow, so `v.len()` in the arguments conflicts.
fn main() {
    let mut v = vec![3, 2, 1];
    v.swap(0, v.len() - 1); //~ ERROR E0502 cannot borrow `v` as immutable because it is also borrowed as mutable
    //~| LABEL E0502 mutable borrow occurs here
    //~| LABEL E0502 mutable borrow later used by call
    println!("{:?}", v);
}
