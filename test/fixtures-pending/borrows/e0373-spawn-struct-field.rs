// A spawned thread uses a field of a local struct: the closure borrows it and may outlive `main`.
use std::thread;

struct Job {
    name: String,
}

fn main() {
    let job = Job { name: String::from("backup") };
    let h = thread::spawn(|| println!("running {}", job.name)); //~ ERROR E0373 closure may outlive the current function, but it borrows `job.name`, which is owned by the current function
    //~| LABEL E0373 `job.name` is borrowed here
    h.join().unwrap();
}
