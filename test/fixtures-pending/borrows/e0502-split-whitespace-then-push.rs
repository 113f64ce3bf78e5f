// The words from `split_whitespace` point into `text`; appending to `text` conflicts.
fn main() {
    let mut text = String::from("one two three");
    let words: Vec<&str> = text.split_whitespace().collect(); //~ LABEL E0502 immutable borrow occurs here
    text.push_str(" four"); //~ ERROR E0502 cannot borrow `text` as mutable because it is also borrowed as immutable
    println!("{}", words.len()); //~ LABEL E0502 immutable borrow later used here
}
