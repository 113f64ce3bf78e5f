// The closure mutably borrows `count` until its last call, so `&mut count` in between conflicts.
fn main() {
    let mut count = 0;
    let mut bump = || count += 1; //~ LABEL E0499 first mutable borrow occurs here
    let direct = &mut count; //~ ERROR E0499 cannot borrow `count` as mutable more than once at a time
    bump(); //~ LABEL E0499 first borrow later used here
    *direct += 10;
}
