//@ edition: 2018
// Before 2021 the `sort_by_key` closure captures all of `self`, which conflicts with the
// `&mut self.items` that `sort_by_key` holds (compare nll-ok/closure-reads-other-field-in-method.rs).
struct Ranker {
    items: Vec<usize>,
    weights: Vec<u32>,
}

impl Ranker {
    fn rank(&mut self) {
        self.items.sort_by_key(|&i| self.weights[i]); //~ ERROR E0502 cannot borrow `self` as immutable because it is also borrowed as mutable
        //~| LABEL E0502 mutable borrow occurs here
        //~| LABEL E0502 mutable borrow later used by call
    }
}

fn main() {
    let mut r = Ranker { items: vec![0, 1, 2], weights: vec![5, 1, 3] };
    r.rank();
    println!("{:?}", r.items);
}
