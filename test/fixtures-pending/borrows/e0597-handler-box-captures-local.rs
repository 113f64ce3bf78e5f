// A boxed closure registered in an outer Vec borrows a String from an inner block.
fn main() {
    let mut handlers: Vec<Box<dyn Fn() -> usize + '_>> = Vec::new();
    {
        let name = String::from("click"); //~ LABEL E0597 binding `name` declared here
        handlers.push(Box::new(|| name.len())); //~ ERROR E0597 `name` does not live long enough
        //~| LABEL E0597 value captured here
    } //~ LABEL E0597 `name` dropped here while still borrowed
    for h in &handlers { //~ LABEL E0597 borrow later used here
        println!("{}", h());
    }
}
