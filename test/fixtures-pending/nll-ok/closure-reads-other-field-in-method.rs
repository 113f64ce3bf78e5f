// Edition 2021: in a method, sorting `self.items` with a closure that reads `self.weights`.
struct Ranker {
    items: Vec<usize>,
    weights: Vec<u32>,
}

impl Ranker {
    fn rank(&mut self) {
        self.items.sort_by_key(|&i| self.weights[i]);
    }
}

fn main() {
    let mut r = Ranker { items: vec![0, 1, 2], weights: vec![5, 1, 3] };
    r.rank();
    println!("{:?}", r.items);
}
