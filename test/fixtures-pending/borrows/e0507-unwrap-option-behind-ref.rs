// `unwrap` takes `self` by value: calling it on `*opt` through `&Option<String>` moves out of a borrow.
fn label(opt: &Option<String>) -> String {
    opt.unwrap() //~ ERROR E0507 cannot move out of `*opt` which is behind a shared reference
}

fn main() {
    let o = Some(String::from("x"));
    println!("{}", label(&o));
}
