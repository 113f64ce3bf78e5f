// The guard borrows a temporary Mutex that is dropped at the end of the statement.
use std::sync::Mutex;

fn main() {
    let guard = Mutex::new(vec![1]).lock().unwrap(); //~ ERROR E0716 temporary value dropped while borrowed
    //~| LABEL E0716 temporary value is freed at the end of this statement
    println!("{:?}", *guard); //~ LABEL E0716 borrow later used here
}
