// Matching on `*msg` with a by-value binding would move the String out of the reference.
enum Msg {
    Text(String),
    Quit,
}

fn show(msg: &Msg) {
    match *msg { //~ ERROR E0507 cannot move out of `msg` as enum variant `Text` which is behind a shared reference
        Msg::Text(s) => println!("{}", s), //~ LABEL E0507 data moved here
        Msg::Quit => println!("quit"),
    }
}

fn main() {
    show(&Msg::Text(String::from("hi")));
    show(&Msg::Quit);
}
