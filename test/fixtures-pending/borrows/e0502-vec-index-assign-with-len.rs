// `v[i] = x` on a Vec calls `index_mut(&mut v, i)`; that borrow is not two-phase, so reading
// `v.len()` for the index conflicts with it.
fn main() {
    let mut v = vec![1, 2, 3];
    v[v.len() - 1] = 0; //~ ERROR E0502 cannot borrow `v` as immutable because it is also borrowed as mutable
    //~| LABEL E0502 mutable borrow occurs here
    //~| LABEL E0502 mutable borrow later used here
    println!("{:?}", v);
}
