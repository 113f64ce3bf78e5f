// The `move` closure given to `thread::spawn` takes `jobs` while `first` still borrows it.
use std::thread;

fn main() {
    let jobs = vec![String::from("build"), String::from("test")]; //~ LABEL E0505 binding `jobs` declared here
    let first = &jobs[0]; //~ LABEL E0505 borrow of `jobs` occurs here
    let worker = thread::spawn(move || jobs.len()); //~ ERROR E0505 cannot move out of `jobs` because it is borrowed
    println!("{} {}", first, worker.join().unwrap()); //~ LABEL E0505 borrow later used here
}
