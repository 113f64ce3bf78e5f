// Collecting `&str`s that point into a local String and returning them.
fn tokens(src: &str) -> Vec<&str> {
    let lower = src.to_lowercase();
    lower.split(',').collect() //~ ERROR E0515 cannot return value referencing local variable `lower`
    //~| LABEL E0515 `lower` is borrowed here
}

fn main() {
    println!("{:?}", tokens("A,B"));
}
