// The words point into a temporary lowercased String that is freed at the end of the statement.
fn main() {
    let line = "The Quick Fox";
    let words: Vec<&str> = line.to_lowercase().split(' ').collect(); //~ ERROR E0716 temporary value dropped while borrowed
    //~| LABEL E0716 temporary value is freed at the end of this statement
    println!("{:?}", words); //~ LABEL E0716 borrow later used here
}
