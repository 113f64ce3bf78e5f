// Borrowing a variable that is only assigned on one branch.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode: String;
    if args.len() > 1 {
        mode = args[1].clone(); //~ LABEL E0381 binding initialized here in some conditions
    }
    let m = &mode; //~ ERROR E0381 used binding `mode` is possibly-uninitialized
    println!("{}", m);
}
