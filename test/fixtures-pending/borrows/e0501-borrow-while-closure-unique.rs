// The closure holds unique access to `total` (a `&mut`) until its last call; taking
// `&total` in between conflicts.
fn accumulate(total: &mut i64, xs: &[i64]) {
    let mut add = |x: i64| *total += x; //~ LABEL E0501 closure construction occurs here
    add(xs[0]);
    let snapshot = &total; //~ ERROR E0501 cannot borrow `total` as immutable because previous closure requires unique access
    add(xs[1]); //~ LABEL E0501 first borrow later used here
    println!("{}", snapshot);
}

fn main() {
    let mut t = 0;
    accumulate(&mut t, &[1, 2]);
}
