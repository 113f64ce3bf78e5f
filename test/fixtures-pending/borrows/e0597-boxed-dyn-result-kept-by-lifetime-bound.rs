// A generic parameter bounded by a lifetime of the result (`T: 'a` with `-> Box<dyn Debug + 'a>`,
// `F: Fn() + 'a` with `-> Guard<'a>`) lets the result keep what the argument borrows.
use std::fmt::Debug;

struct Guard<'a> {
    f: Box<dyn Fn() + 'a>,
}

fn scoped<'a, F: Fn() + 'a>(f: F) -> Guard<'a> {
    Guard { f: Box::new(f) }
}

fn boxed<'a, T: Debug + 'a>(t: T) -> Box<dyn Debug + 'a> {
    Box::new(t)
}

fn main() {
    let b;
    {
        let x = 5;
        b = boxed(&x); //~ ERROR E0597 `x` does not live long enough
    }
    println!("{:?}", b);

    let g = {
        let y = 1;
        let r = &y; //~ ERROR E0597 `y` does not live long enough
        scoped(move || println!("{}", r))
    };
    (g.f)();
}
