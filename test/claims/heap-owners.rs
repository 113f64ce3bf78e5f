// String, Vec, Box, Rc, Arc: the handle on the stack, the bytes on the heap (len and capacity).
use std::rc::Rc;
use std::sync::Arc;

fn main() {
    let s = String::from("hello");
    let mut grown = String::with_capacity(16);
    grown.push_str("abc");
    let empty = String::new();
    let v = vec![1, 2, 3];
    let mut pushed: Vec<u64> = Vec::new();
    pushed.push(1);
    pushed.push(2);
    pushed.push(3);
    let words = vec![String::from("a"), String::from("bc")];
    let bx = Box::new(41u16);
    let bp = Box::new((1u8, 2u64));
    let rc = Rc::new(5i64);
    let rc2 = Rc::clone(&rc);
    let arc = Arc::new(3u8);
    let ov: Option<Vec<i32>> = Some(vec![4, 5]);
    // probe: s grown empty v pushed words bx bp rc rc2 arc ov
    println!("{} {} {} {:?} {:?} {:?} {} {:?} {} {} {} {:?}", s, grown, empty, v, pushed, words, bx, bp, rc, rc2, arc, ov);
}
