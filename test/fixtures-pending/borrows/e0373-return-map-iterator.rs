// The `map` closure borrows the parameter `factor`, and the iterator is returned.
fn scaled(values: Vec<i32>, factor: i32) -> impl Iterator<Item = i32> {
    values.into_iter().map(|v| v * factor) //~ ERROR E0373 closure may outlive the current function, but it borrows `factor`, which is owned by the current function
    //~| LABEL E0373 `factor` is borrowed here
}

fn main() {
    let v: Vec<i32> = scaled(vec![1, 2], 3).collect();
    println!("{:?}", v);
}
