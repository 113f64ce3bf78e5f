// An `Rc` shares its value, so it cannot be moved out with `*`.
use std::rc::Rc;

fn main() {
    let shared = Rc::new(String::from("config"));
    let owned: String = *shared; //~ ERROR E0507 cannot move out of an `Rc`
    println!("{}", owned);
}
