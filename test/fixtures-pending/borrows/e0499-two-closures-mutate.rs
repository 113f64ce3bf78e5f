// Two closures that both mutate `log` capture it mutably at the same time.
fn main() {
    let mut log = Vec::new();
    let mut info = |m: &str| log.push(format!("info: {}", m)); //~ LABEL E0499 first mutable borrow occurs here
    let mut warn = |m: &str| log.push(format!("warn: {}", m)); //~ ERROR E0499 cannot borrow `log` as mutable more than once at a time
    info("start"); //~ LABEL E0499 first borrow later used here
    warn("disk low");
    println!("{:?}", log);
}
