//@ edition: 2018
// Before 2021 the closure captures `self` as a whole, which conflicts with the iteration over
// `self.items` (compare nll-ok/disjoint-closure-self-fields.rs).
struct Cart {
    items: Vec<u32>,
    total: u32,
}

impl Cart {
    fn sum(&mut self) {
        self.items.iter().for_each(|p| self.total += p); //~ ERROR E0500 closure requires unique access to `self` but it is already borrowed
        //~| LABEL E0500 borrow occurs here
        //~| LABEL E0500 first borrow later used by call
    }
}

fn main() {
    let mut c = Cart { items: vec![3, 4], total: 0 };
    c.sum();
    println!("{}", c.total);
}
