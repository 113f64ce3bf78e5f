// `iter_mut` over a field holds `&mut self.cells`; calling a `&mut self` method inside conflicts.
struct Board {
    cells: Vec<u8>,
    moves: u32,
}

impl Board {
    fn count_move(&mut self) {
        self.moves += 1;
    }
    fn clear(&mut self) {
        for c in self.cells.iter_mut() { //~ LABEL E0499 first mutable borrow occurs here
        //~| LABEL E0499 first borrow later used here
            *c = 0;
            self.count_move(); //~ ERROR E0499 cannot borrow `*self` as mutable more than once at a time
        }
    }
}

fn main() {
    let mut b = Board { cells: vec![1, 2], moves: 0 };
    b.clear();
    println!("{}", b.moves);
}
