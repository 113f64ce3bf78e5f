// A `&self` method cannot assign to a field.
struct Timer {
    ticks: u64,
}

impl Timer {
    fn tick(&self) {
        self.ticks += 1; //~ ERROR E0594 cannot assign to `self.ticks`, which is behind a `&` reference
    }
}

fn main() {
    let t = Timer { ticks: 0 };
    t.tick();
}
