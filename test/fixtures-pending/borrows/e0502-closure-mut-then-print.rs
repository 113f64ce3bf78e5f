// A closure that mutates `sum` borrows it mutably until its last call; printing `sum` in between conflicts.
fn main() {
    let mut sum = 0;
    let mut add = |n: i32| sum += n; //~ LABEL E0502 mutable borrow occurs here
    add(2);
    println!("{}", sum); //~ ERROR E0502 cannot borrow `sum` as immutable because it is also borrowed as mutable
    add(3); //~ LABEL E0502 mutable borrow later used here
}
