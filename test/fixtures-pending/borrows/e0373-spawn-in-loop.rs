// Each spawned thread borrows the loop variable `i`, but a thread may outlive the loop body.
use std::thread;

fn main() {
    let mut handles = Vec::new();
    for i in 0..3 {
        handles.push(thread::spawn(|| { //~ ERROR E0373 closure may outlive the current function, but it borrows `i`, which is owned by the current function
            println!("worker {}", i); //~ LABEL E0373 `i` is borrowed here
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
}
