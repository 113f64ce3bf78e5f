// `for x in &items` borrows `items` for the loop; replacing `items` inside the loop conflicts.
fn main() {
    let mut items = vec![1, 2, 3];
    for x in &items { //~ LABEL E0506 `items` is borrowed here
    //~| LABEL E0506 borrow later used here
        if *x == 2 {
            items = Vec::new(); //~ ERROR E0506 cannot assign to `items` because it is borrowed
        }
    }
}
