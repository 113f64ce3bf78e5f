// Iterating `&names` yields `&String`; `*s` cannot be moved into an owned String.
fn main() {
    let names = vec![String::from("a"), String::from("b")];
    let mut owned: Vec<String> = Vec::new();
    for s in &names {
        owned.push(*s); //~ ERROR E0507 cannot move out of `*s` which is behind a shared reference
    }
    println!("{:?} {:?}", owned, names);
}
