// The same variable passed as two `&mut` arguments of one call.
fn transfer(from: &mut i64, to: &mut i64, amount: i64) {
    *from -= amount;
    *to += amount;
}

fn main() {
    let mut wallet = 50;
    transfer(&mut wallet, &mut wallet, 10); //~ ERROR E0499 cannot borrow `wallet` as mutable more than once at a time
    //~| LABEL E0499 first mutable borrow occurs here
    //~| LABEL E0499 first borrow later used by call
    println!("{}", wallet);
}
