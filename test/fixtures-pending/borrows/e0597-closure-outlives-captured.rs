// A closure borrowing `prefix` is kept after the block where `prefix` lives.
fn main() {
    let tag;
    {
        let prefix = String::from(">> "); //~ LABEL E0597 binding `prefix` declared here
        tag = |s: &str| format!("{}{}", prefix, s); //~ ERROR E0597 `prefix` does not live long enough
        //~| LABEL E0597 value captured here
    } //~ LABEL E0597 `prefix` dropped here while still borrowed
    println!("{}", tag("x")); //~ LABEL E0597 borrow later used here
}
