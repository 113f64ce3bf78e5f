// Iterating `self.items` borrows part of `self`; calling a `&mut self` method in the loop needs all of it.
struct Report {
    items: Vec<u32>,
    lines: Vec<String>,
}

impl Report {
    fn add_line(&mut self, s: String) {
        self.lines.push(s);
    }
    fn build(&mut self) {
        for it in self.items.iter() { //~ LABEL E0502 immutable borrow occurs here
        //~| LABEL E0502 immutable borrow later used here
            self.add_line(format!("item {}", it)); //~ ERROR E0502 cannot borrow `*self` as mutable because it is also borrowed as immutable
        }
    }
}

fn main() {
    let mut r = Report { items: vec![1, 2], lines: Vec::new() };
    r.build();
    println!("{:?}", r.lines);
}
