// A `&self` getter borrows the whole struct, so even another field cannot be assigned while
// its result is used.
struct Server {
    host: String,
    port: u16,
}

impl Server {
    fn host(&self) -> &str {
        &self.host
    }
}

fn main() {
    let mut s = Server { host: String::from("localhost"), port: 80 };
    let h = s.host(); //~ LABEL E0506 `s.port` is borrowed here
    s.port = 8080; //~ ERROR E0506 cannot assign to `s.port` because it is borrowed
    println!("{}:{}", h, s.port); //~ LABEL E0506 borrow later used here
}
