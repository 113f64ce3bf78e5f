// A slice of a local Vec cannot leave the function that owns the Vec.
fn evens(limit: u32) -> &'static [u32] {
    let v: Vec<u32> = (0..limit).filter(|n| n % 2 == 0).collect();
    &v[..] //~ ERROR E0515 cannot return value referencing local variable `v`
    //~| LABEL E0515 `v` is borrowed here
}

fn main() {
    println!("{:?}", evens(10));
}
