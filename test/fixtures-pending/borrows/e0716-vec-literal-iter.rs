// `vec![..]` is a temporary; the iterator stored in `it` borrows it beyond the statement.
fn main() {
    let it = vec![1, 2, 3].iter(); //~ ERROR E0716 temporary value dropped while borrowed
    //~| LABEL E0716 temporary value is freed at the end of this statement
    for x in it { //~ LABEL E0716 borrow later used here
        println!("{}", x);
    }
}
