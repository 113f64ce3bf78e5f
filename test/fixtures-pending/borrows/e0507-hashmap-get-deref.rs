// `get` returns `&String`; dereferencing it to an owned String moves out of the map.
use std::collections::HashMap;

fn main() {
    let mut env: HashMap<&str, String> = HashMap::new();
    env.insert("HOME", String::from("/root"));
    let home: String = *env.get("HOME").unwrap(); //~ ERROR E0507 cannot move out of a shared reference
    println!("{}", home);
}
