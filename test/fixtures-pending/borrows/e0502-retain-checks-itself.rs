// The `retain` closure reads `tags` while `retain` holds `&mut tags`.
fn main() {
    let mut tags = vec![String::from("a"), String::from("b"), String::from("a")];
    tags.retain(|t| tags.iter().filter(|u| *u == t).count() == 1); //~ ERROR E0502 cannot borrow `tags` as mutable because it is also borrowed as immutable
    //~| LABEL E0502 immutable borrow occurs here
    //~| LABEL E0502 immutable borrow later used by call
    println!("{:?}", tags);
}
