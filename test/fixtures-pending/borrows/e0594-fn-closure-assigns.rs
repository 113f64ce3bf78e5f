// A closure passed where `Fn` is expected cannot assign to what it captures.
fn run_twice<F: Fn()>(f: F) {
    f();
    f();
}

fn main() {
    let mut runs = 0;
    run_twice(|| runs += 1); //~ ERROR E0594 cannot assign to `runs`, as it is a captured variable in a `Fn` closure
    println!("{}", runs);
}
