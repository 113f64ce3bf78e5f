// `let x = &temp;` extends the temporary's life to the enclosing block.
fn make() -> String {
    String::from("built")
}

fn main() {
    let s: &String = &make();
    let v = &mut Vec::<u8>::new();
    v.push(1);
    println!("{} {:?}", s, v);
}
