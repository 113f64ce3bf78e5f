// Inside a `&mut self` method, a closure pushing to `self.items` needs unique access while
// `first` still borrows an element.
struct Stack {
    items: Vec<i32>,
}

impl Stack {
    fn dup_first(&mut self) {
        let first = &self.items[0]; //~ LABEL E0500 borrow occurs here
        let mut push = |x: i32| self.items.push(x); //~ ERROR E0500 closure requires unique access to `self.items` but it is already borrowed
        push(1);
        println!("{}", first); //~ LABEL E0500 first borrow later used here
    }
}

fn main() {
    let mut s = Stack { items: vec![4] };
    s.dup_first();
}
