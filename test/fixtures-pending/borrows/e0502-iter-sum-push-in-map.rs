// The `iter()` adapter borrows `nums` until `collect` runs; the closure cannot push to it.
fn main() {
    let mut nums = vec![1, 2, 3];
    let doubled: Vec<i32> = nums //~ LABEL E0502 immutable borrow occurs here
        .iter()
        .map(|n| { //~ ERROR E0502 cannot borrow `nums` as mutable because it is also borrowed as immutable
        //~| LABEL E0502 immutable borrow later used by call
            nums.push(*n);
            n * 2
        })
        .collect();
    println!("{:?}", doubled);
}
