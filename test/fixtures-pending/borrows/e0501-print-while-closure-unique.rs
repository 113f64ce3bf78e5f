// Printing `name` while a closure that appends through `name: &mut String` is still to be called.
fn decorate(name: &mut String) {
    let mut suffix = |s: &str| name.push_str(s); //~ LABEL E0501 closure construction occurs here
    suffix("!");
    println!("{}", name); //~ ERROR E0501 cannot borrow `name` as immutable because previous closure requires unique access
    suffix("?"); //~ LABEL E0501 first borrow later used here
}

fn main() {
    let mut n = String::from("hey");
    decorate(&mut n);
}
