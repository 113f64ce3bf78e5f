// A closure pushes through `out: &mut Vec`; borrowing `*out` mutably before its last call conflicts.
fn fill(out: &mut Vec<u8>) {
    let mut put = |b: u8| out.push(b); //~ LABEL E0501 closure construction occurs here
    put(1);
    out.push(2); //~ ERROR E0501 cannot borrow `*out` as mutable because previous closure requires unique access
    put(3); //~ LABEL E0501 first borrow later used here
}

fn main() {
    let mut v = Vec::new();
    fill(&mut v);
    println!("{:?}", v);
}
