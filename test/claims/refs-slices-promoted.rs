// References: to locals, to elements, to slices; promoted constants and string literals live in
// static memory; references to statics point into static memory.
static COUNT: i32 = 5;
static NAME: &str = "static name";
const LIMIT: u64 = 7;

struct Pair {
    left: u16,
    right: u32,
}

fn main() {
    let x = 5;
    let rx = &x;
    let rrx = &rx;
    let v = vec![10, 20, 30, 40, 50];
    let first = &v[0];
    let tail = &v[2..];
    let all = &v[..];
    let arr: [u16; 4] = [1, 2, 3, 4];
    let mid = &arr[1..3];
    let elem = &arr[3];
    let s = String::from("hello world");
    let word = &s[0..5];
    let rs = &s;
    let pair = Pair { left: 1, right: 2 };
    let rp = &pair;
    let field = &pair.right;
    let lit = "literal";
    let bytes = b"abc";
    let r10: &u32 = &10;
    let two = &[1, 2];
    let sl: &[i32] = &[7, 8, 9];
    let some = &Some(3u8);
    let tup = &(1u8, 'a');
    let sum = &(2 + 3);
    let lim = &LIMIT;
    let cnt = &COUNT;
    let name = NAME;
    let mut y = 1;
    let ry = &mut y;
    // probe: x rx rrx first tail all mid elem word rs rp field lit bytes r10 two sl some tup sum lim cnt name ry COUNT
    *ry += 1;
    println!("{} {} {} {} {:?} {:?} {:?} {} {} {} {} {} {} {:?}", rx, rrx, first, elem, tail, all, mid, word, rs, rp.left, field, lit, name, bytes);
    println!("{} {:?} {:?} {:?} {:?} {} {} {} {}", r10, two, sl, some, tup, sum, lim, cnt, y);
}
