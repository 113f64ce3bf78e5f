// Scalars, tuples, arrays, structs, enums and niches: sizes and where the bytes live.
#[derive(Debug, Clone, Copy)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Debug)]
struct Mixed {
    flag: bool,
    big: u64,
    small: u8,
}

#[derive(Debug)]
enum Shape {
    Circle(f64),
    Rect { w: u32, h: u32 },
    Empty,
}

#[derive(Debug)]
enum Dir {
    North,
    South,
}

fn main() {
    let a: i32 = 7;
    let b = 2.5f64;
    let c = 'z';
    let d = true;
    let e: u8 = 255;
    let f: i128 = -1;
    let t = (1u8, 2u32, 3u16);
    let arr = [1u64, 2, 3];
    let p = Point { x: 1, y: 2 };
    let m = Mixed { flag: true, big: 9, small: 3 };
    let s1 = Shape::Circle(1.0);
    let s2 = Shape::Rect { w: 2, h: 3 };
    let s3 = Shape::Empty;
    let dir = Dir::South;
    let ob: Option<bool> = Some(true);
    let oc: Option<char> = None;
    let op: Option<Point> = Some(p);
    let unit = ();
    // An integer used as an index is a `usize` (std indexes by `usize` only), not the `i32` default.
    let i = 1;
    let picked = arr[i];
    // probe: a b c d e f t arr p m s1 s2 s3 dir ob oc op unit i picked
    println!("{} {} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {}", a, b, c, d, e, f, t, arr, p, m, s1, s2, s3, dir, ob, oc, op, unit, picked);
}
