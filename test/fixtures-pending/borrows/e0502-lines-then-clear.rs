// `lines()` yields `&str` slices of `buf`; clearing `buf` while they are stored conflicts.
fn main() {
    let mut buf = String::from("a\nb\nc");
    let lines: Vec<&str> = buf.lines().collect(); //~ LABEL E0502 immutable borrow occurs here
    buf.clear(); //~ ERROR E0502 cannot borrow `buf` as mutable because it is also borrowed as immutable
    println!("{}", lines.len()); //~ LABEL E0502 immutable borrow later used here
}
