// Matching on an enum reads it, which conflicts with a live `&mut` to it.
#[derive(Debug, Clone, Copy)]
enum Light {
    Red,
    Green,
}

fn main() {
    let mut light = Light::Red;
    let handle = &mut light; //~ LABEL E0503 `light` is borrowed here
    let wait = match light { //~ ERROR E0503 cannot use `light` because it was mutably borrowed
        Light::Red => true,
        Light::Green => false,
    };
    *handle = Light::Green; //~ LABEL E0503 borrow later used here
    println!("{} {:?}", wait, light);
}
