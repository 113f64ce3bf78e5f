// A closure called more than once (`FnMut`) cannot give away a captured String.
fn repeat<F: FnMut()>(mut f: F) {
    f();
    f();
}

fn consume(s: String) {
    println!("{}", s);
}

fn main() {
    let msg = String::from("once");
    repeat(|| consume(msg)); //~ ERROR E0507 cannot move out of `msg`, a captured variable in an `FnMut` closure
}
