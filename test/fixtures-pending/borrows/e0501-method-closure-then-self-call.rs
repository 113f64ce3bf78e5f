// The closure uniquely borrows `self.hits` through `self` until its last call; calling a
// `&self` method in between conflicts.
struct Stats {
    hits: u32,
}

impl Stats {
    fn report(&self) -> u32 {
        self.hits
    }
    fn record(&mut self, n: u32) {
        let mut hit = || self.hits += 1; //~ LABEL E0501 closure construction occurs here
        hit();
        println!("{}", self.report()); //~ ERROR E0501 cannot borrow `*self` as immutable because previous closure requires unique access
        for _ in 0..n {
            hit(); //~ LABEL E0501 first borrow later used here
        }
    }
}

fn main() {
    let mut s = Stats { hits: 0 };
    s.record(2);
}
