// A closure that reads `limit` borrows it until its last call; assigning `limit` in between fails.
fn main() {
    let mut limit = 10;
    let check = |n: i32| n < limit; //~ LABEL E0506 `limit` is borrowed here
    limit = 20; //~ ERROR E0506 cannot assign to `limit` because it is borrowed
    println!("{}", check(15)); //~ LABEL E0506 borrow later used here
}
