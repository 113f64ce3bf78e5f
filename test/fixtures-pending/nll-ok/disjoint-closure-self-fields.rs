// Edition 2021: inside a method, a closure mutating `self.total` while `self.items` is
// iterated captures only the field it uses.
struct Cart {
    items: Vec<u32>,
    total: u32,
}

impl Cart {
    fn sum(&mut self) {
        self.items.iter().for_each(|p| self.total += p);
    }
}

fn main() {
    let mut c = Cart { items: vec![3, 4], total: 0 };
    c.sum();
    println!("{}", c.total);
}
