// `front_mut` keeps the deque mutably borrowed while the reference is used.
use std::collections::VecDeque;

fn main() {
    let mut q: VecDeque<u32> = VecDeque::new();
    q.push_back(1);
    let front = q.front_mut().unwrap(); //~ LABEL E0499 first mutable borrow occurs here
    q.push_back(2); //~ ERROR E0499 cannot borrow `q` as mutable more than once at a time
    *front += 1; //~ LABEL E0499 first borrow later used here
}
