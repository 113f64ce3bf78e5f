// A `&temp` directly in a struct literal of a `let` is extended like a plain `let x = &temp;`.
struct View<'a> {
    text: &'a str,
}

fn main() {
    let v = View { text: &String::from("extended") };
    println!("{}", v.text);
}
