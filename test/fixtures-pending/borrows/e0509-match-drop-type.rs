// A `match` arm binding a field of a `Drop` type by value.
struct Lock {
    owner: String,
}

impl Drop for Lock {
    fn drop(&mut self) {
        println!("unlock");
    }
}

fn owner_of(l: Lock) -> String {
    match l { //~ ERROR E0509 cannot move out of type `Lock`, which implements the `Drop` trait
        Lock { owner } => owner, //~ LABEL E0509 data moved here
    }
}

fn main() {
    println!("{}", owner_of(Lock { owner: String::from("me") }));
}
