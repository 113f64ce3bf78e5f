// A boxed `FnMut` returned from a function borrows a local counter.
fn counter() -> Box<dyn FnMut() -> u32> {
    let mut n = 0;
    Box::new(|| { //~ ERROR E0373 closure may outlive the current function, but it borrows `n`, which is owned by the current function
        n += 1; //~ LABEL E0373 `n` is borrowed here
        n
    })
}

fn main() {
    let mut next = counter();
    println!("{} {}", next(), next());
}
