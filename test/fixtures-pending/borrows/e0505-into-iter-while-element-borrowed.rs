// `for x in v` moves `v`; a reference to one of its elements is still used after the loop.
fn main() {
    let v = vec![String::from("a"), String::from("b")]; //~ LABEL E0505 binding `v` declared here
    let first = &v[0]; //~ LABEL E0505 borrow of `v` occurs here
    for s in v { //~ ERROR E0505 cannot move out of `v` because it is borrowed
        println!("{}", s);
    }
    println!("{}", first); //~ LABEL E0505 borrow later used here
}
