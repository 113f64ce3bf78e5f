// `view` borrows the reference `counter` itself; a closure writing through `*counter` needs
// unique access to `*counter` while `view` is still used.
fn tick(counter: &mut u32) {
    let view = &counter; //~ LABEL E0500 borrow occurs here
    let mut bump = || *counter += 1; //~ ERROR E0500 closure requires unique access to `*counter` but it is already borrowed
    bump();
    println!("{}", view); //~ LABEL E0500 first borrow later used here
}

fn main() {
    let mut c = 0;
    tick(&mut c);
}
