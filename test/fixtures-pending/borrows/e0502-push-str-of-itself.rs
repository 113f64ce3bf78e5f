// `s.push_str(&s)`: the shared borrow `&s` is still in use when `push_str` activates `&mut s`.
fn main() {
    let mut echo = String::from("hey ");
    echo.push_str(&echo); //~ ERROR E0502 cannot borrow `echo` as mutable because it is also borrowed as immutable
    //~| LABEL E0502 immutable borrow occurs here
    //~| LABEL E0502 immutable borrow later used by call
    println!("{}", echo);
}
