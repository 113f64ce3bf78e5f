// A slice pattern on `&mut v[..]` yields disjoint `&mut` to the first and last elements.
fn main() {
    let mut v = vec![1, 2, 3, 4];
    if let [first, .., last] = &mut v[..] {
        std::mem::swap(first, last);
    }
    println!("{:?}", v);
}
