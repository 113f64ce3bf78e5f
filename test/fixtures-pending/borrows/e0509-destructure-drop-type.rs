// Destructuring a `Drop` type by value moves its fields out.
struct Connection {
    host: String,
    port: u16,
}

impl Drop for Connection {
    fn drop(&mut self) {
        println!("closing {}:{}", self.host, self.port);
    }
}

fn main() {
    let c = Connection { host: String::from("db"), port: 5432 };
    let Connection { host, port } = c; //~ ERROR E0509 cannot move out of type `Connection`, which implements the `Drop` trait
    //~| LABEL E0509 data moved here
    println!("{} {}", host, port);
}
