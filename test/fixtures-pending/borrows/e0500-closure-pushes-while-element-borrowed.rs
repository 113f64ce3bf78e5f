// `first` borrows into `*list`; the closure needs unique access to `*list` to push through it.
fn extend(list: &mut Vec<String>) {
    let first = &list[0]; //~ LABEL E0500 borrow occurs here
    let mut add = |s: &str| list.push(s.to_string()); //~ ERROR E0500 closure requires unique access to `*list` but it is already borrowed
    add("more");
    println!("{}", first); //~ LABEL E0500 first borrow later used here
}

fn main() {
    let mut v = vec![String::from("start")];
    extend(&mut v);
}
