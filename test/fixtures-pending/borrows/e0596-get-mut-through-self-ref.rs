// A `&self` method cannot call `get_mut` on a field.
use std::collections::HashMap;

struct Cache {
    map: HashMap<u32, String>,
}

impl Cache {
    fn touch(&self, k: u32) {
        if let Some(v) = self.map.get_mut(&k) { //~ ERROR E0596 cannot borrow `self.map` as mutable, as it is behind a `&` reference
            v.push('*');
        }
    }
}

fn main() {
    let c = Cache { map: HashMap::new() };
    c.touch(1);
}
