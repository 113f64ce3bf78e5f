// `if let Some(s) = slots[0]` binds the String by value, moving it out of the array.
fn main() {
    let slots: [Option<String>; 2] = [Some(String::from("x")), None];
    if let Some(s) = slots[0] { //~ ERROR E0508 cannot move out of type `[Option<String>; 2]`, a non-copy array
    //~| LABEL E0508 data moved here
        println!("{}", s);
    }
}
