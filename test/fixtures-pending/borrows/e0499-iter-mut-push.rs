// `iter_mut` holds `&mut scores` for the whole loop; pushing inside it needs a second one.
fn main() {
    let mut scores = vec![10, 20, 30];
    for s in scores.iter_mut() { //~ LABEL E0499 first mutable borrow occurs here
    //~| LABEL E0499 first borrow later used here
        if *s > 15 {
            scores.push(*s / 2); //~ ERROR E0499 cannot borrow `scores` as mutable more than once at a time
        }
    }
}
