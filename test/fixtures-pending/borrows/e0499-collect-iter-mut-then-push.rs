// A Vec of `&mut` collected from `iter_mut` keeps the whole Vec mutably borrowed.
fn main() {
    let mut v = vec![1, 2, 3];
    let mut refs: Vec<&mut i32> = v.iter_mut().collect(); //~ LABEL E0499 first mutable borrow occurs here
    v.push(4); //~ ERROR E0499 cannot borrow `v` as mutable more than once at a time
    *refs[0] = 10; //~ LABEL E0499 first borrow later used here
}
