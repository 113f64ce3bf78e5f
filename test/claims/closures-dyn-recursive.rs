// Closures have their captures' layout; fat pointers (`Box<[T]>`, `Box<dyn Trait>`, `Rc<str>`,
// `&dyn Trait`) know their pointee's size; recursive types through Box/Rc/& have sizes.
use std::fmt::Debug;
use std::rc::Rc;

#[derive(Debug)]
struct Node {
    val: i32,
    next: Option<Box<Node>>,
}

#[derive(Debug)]
enum List {
    Cons(i32, Rc<List>),
    Nil,
}

#[derive(Debug)]
struct Tree<'a> {
    label: u8,
    parent: Option<&'a Tree<'a>>,
}

trait Shape {
    fn area(&self) -> f64;
}

struct Square {
    side: f64,
}

impl Shape for Square {
    fn area(&self) -> f64 {
        self.side * self.side
    }
}

fn main() {
    let name = String::from("closure");
    let owns = move || name.len();
    let x = 3;
    let y = 4u8;
    let borrows = |a: i32| a + x;
    let both = || x as u8 + y;
    let nothing = || 1;
    let mut counter = 0;
    let mut inc = || counter += 1;
    inc();
    let n = Node { val: 1, next: Some(Box::new(Node { val: 2, next: None })) };
    let list = List::Cons(1, Rc::new(List::Nil));
    let root = Tree { label: 0, parent: None };
    let leaf = Tree { label: 1, parent: Some(&root) };
    let d: Box<dyn Debug> = Box::new(1u8);
    let sq: Box<dyn Shape> = Box::new(Square { side: 2.0 });
    let dr: &dyn Shape = &Square { side: 3.0 };
    let bs: Box<[u8]> = vec![1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10].into_boxed_slice();
    let bstr: Box<str> = String::from("boxed").into_boxed_str();
    let rs: Rc<str> = Rc::from("abc");
    // probe: owns borrows both nothing n list root leaf d sq dr bs bstr rs
    println!("{} {} {} {} {:?} {:?} {:?} {:?}", owns(), borrows(1), both(), nothing(), n, list, leaf, d);
    println!("{} {} {:?} {} {}", sq.area(), dr.area(), bs, bstr, rs);
}
