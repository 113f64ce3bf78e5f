//@ edition: 2018
// Before 2021 both closures capture all of `stats` mutably, even though each uses one field
// (compare nll-ok/two-closures-different-fields.rs).
struct Stats {
    ok: u32,
    failed: u32,
}

fn main() {
    let mut stats = Stats { ok: 0, failed: 0 };
    let mut pass = || stats.ok += 1; //~ LABEL E0499 first mutable borrow occurs here
    let mut fail = || stats.failed += 1; //~ ERROR E0499 cannot borrow `stats` as mutable more than once at a time
    pass(); //~ LABEL E0499 first borrow later used here
    fail();
    println!("{} {}", stats.ok, stats.failed);
}
