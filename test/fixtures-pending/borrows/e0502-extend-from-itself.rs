// Extending a Vec with an iterator over itself.
fn main() {
    let mut v = vec![1, 2];
    v.extend(v.iter()); //~ ERROR E0502 cannot borrow `v` as mutable because it is also borrowed as immutable
    //~| LABEL E0502 immutable borrow occurs here
    //~| LABEL E0502 immutable borrow later used by call
    println!("{:?}", v);
}
