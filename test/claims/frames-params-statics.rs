// Parameters live in their function's frame; references passed in point to the caller's data.
use std::collections::HashMap;

static GREETING: &str = "hi";
static LIMITS: [u32; 3] = [1, 2, 3];

#[derive(Debug)]
struct Node {
    val: i32,
    next: Option<Box<Node>>,
}

fn takes(s: &String, v: &[i32], n: i32, owned: String, b: Box<u32>) -> usize {
    // probe: s v n owned b
    s.len() + v.len() + n as usize + owned.len() + *b as usize
}

fn sum(list: &Node) -> i32 {
    let mut total = 0;
    let mut cur = list;
    let depth: usize = 0;
    // probe: list cur total depth
    loop {
        total += cur.val;
        match &cur.next {
            Some(next) => cur = next,
            None => break,
        }
    }
    total + depth as i32
}

fn main() {
    let text = String::from("abc");
    let nums = vec![1, 2, 3, 4];
    let total = takes(&text, &nums[1..], 2, String::from("xy"), Box::new(9));
    let list = Node { val: 1, next: Some(Box::new(Node { val: 2, next: None })) };
    let s = sum(&list);
    let g = GREETING;
    let lim = &LIMITS[1];
    let opt: Option<&i32> = nums.get(2);
    let chars: Vec<char> = vec!['a', 'b'];
    let map: HashMap<u8, u8> = HashMap::new();
    let big = [0u8; 100];
    let heapbig = vec![0u16; 300];
    // probe: text nums total list s g lim opt chars map big heapbig GREETING LIMITS
    filled();
    println!("{} {:?} {} {:?} {} {} {} {:?} {:?} {:?} {} {}", text, nums, total, list, s, g, lim, opt, chars, map, big.len(), heapbig.len());
}

fn filled() {
    let mut scores: HashMap<u32, u64> = HashMap::new();
    scores.insert(1, 10);
    scores.insert(2, 20);
    let mut grow = Vec::with_capacity(2);
    grow.push(1u32);
    grow.push(2);
    grow.push(3);
    // probe: scores grow
    println!("{:?} {:?}", scores.get(&1), grow);
}
