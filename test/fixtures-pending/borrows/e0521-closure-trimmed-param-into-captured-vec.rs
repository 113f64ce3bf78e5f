// A slice of the parameter (`trim`) borrows from what it points to: storing it outside escapes too.
fn each_line<F: FnMut(&str)>(text: &str, mut f: F) {
    for line in text.lines() {
        f(line);
    }
}

fn main() {
    let mut words: Vec<&str> = Vec::new();
    each_line("a \n b", |line| {
        let t = line.trim();
        words.push(t); //~ ERROR E0521 borrowed data escapes outside of closure
    });
    println!("{:?}", words);
}
