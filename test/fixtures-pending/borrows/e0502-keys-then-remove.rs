// `keys()` borrows the map for the whole loop; removing inside it conflicts.
use std::collections::HashMap;

fn main() {
    let mut sessions: HashMap<u32, String> = HashMap::new();
    sessions.insert(1, String::from("ada"));
    sessions.insert(2, String::from("bob"));
    for id in sessions.keys() { //~ LABEL E0502 immutable borrow occurs here
    //~| LABEL E0502 immutable borrow later used here
        if *id == 1 {
            sessions.remove(id); //~ ERROR E0502 cannot borrow `sessions` as mutable because it is also borrowed as immutable
        }
    }
}
