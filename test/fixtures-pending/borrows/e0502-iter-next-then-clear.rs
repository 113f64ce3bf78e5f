// The item from `iter().next()` still borrows `words` when `clear` needs `&mut words`.
fn main() {
    let mut words = vec![String::from("alpha"), String::from("beta")];
    let mut it = words.iter(); //~ LABEL E0502 immutable borrow occurs here
    let first = it.next();
    words.clear(); //~ ERROR E0502 cannot borrow `words` as mutable because it is also borrowed as immutable
    println!("{:?}", first); //~ LABEL E0502 immutable borrow later used here
}
