// A slice element cannot be moved out: the slice only borrows its elements.
fn pick(items: &[String], i: usize) -> String {
    items[i] //~ ERROR E0508 cannot move out of type `[String]`, a non-copy slice
}

fn main() {
    let v = vec![String::from("p"), String::from("q")];
    println!("{}", pick(&v, 1));
}
