// A `Chars` iterator borrows the String it walks over.
fn main() {
    let mut s = String::from("abc");
    let mut chars = s.chars(); //~ LABEL E0502 immutable borrow occurs here
    s.push('d'); //~ ERROR E0502 cannot borrow `s` as mutable because it is also borrowed as immutable
    println!("{:?}", chars.next()); //~ LABEL E0502 immutable borrow later used here
}
