// Assigning a borrow of a temporary to an existing variable: no lifetime extension on assignment.
fn main() {
    let mut current: &String = &String::from("start");
    println!("{}", current);
    current = &String::from("next"); //~ ERROR E0716 temporary value dropped while borrowed
    //~| LABEL E0716 temporary value is freed at the end of this statement
    println!("{}", current); //~ LABEL E0716 borrow later used here
}
