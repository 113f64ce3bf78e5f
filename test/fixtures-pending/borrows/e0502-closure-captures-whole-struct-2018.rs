//@ edition: 2018
// Before 2021 a closure captures the whole variable: `retry` borrows all of `cfg` mutably, so
// reading `cfg.name` before its last call conflicts (compare nll-ok/disjoint-closure-captures.rs).
struct Config {
    name: String,
    retries: u32,
}

fn main() {
    let mut cfg = Config { name: String::from("svc"), retries: 0 };
    let mut retry = || cfg.retries += 1; //~ LABEL E0502 mutable borrow occurs here
    retry();
    println!("{}", cfg.name); //~ ERROR E0502 cannot borrow `cfg.name` as immutable because it is also borrowed as mutable
    retry(); //~ LABEL E0502 mutable borrow later used here
    println!("{}", cfg.retries);
}
