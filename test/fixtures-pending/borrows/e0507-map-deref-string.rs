// `iter()` yields references; `*s` inside `map` would move each String out of the Vec.
fn main() {
    let words = vec![String::from("x"), String::from("y")];
    let copies: Vec<String> = words.iter().map(|s| *s).collect(); //~ ERROR E0507 cannot move out of `*s` which is behind a shared reference
    println!("{:?}", copies);
}
