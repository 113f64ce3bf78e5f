/**
 * Generated Rust for the benchmarks (`npm run bench`, `npm run bench:lsp`): a multi-module file
 * of real-world shape, like a book's listings gathered into one crate. Each `mod listing_N` has a
 * struct or enum with derives, an `impl` with `new` and `&self`/`&mut self` methods, a trait and
 * its impl, a generic function, closures, a nested module, and the same function names as every
 * other listing (`main`, `helper`, `process`, `Inventory::new`), so items must be told apart by
 * their paths. The crate's own `main` calls every listing's `main`.
 *
 * The text compiles with `rustc --edition 2021` (warnings allowed) and has no borrow errors:
 * `generateModules(6_000)` is the large workload of both benchmarks.
 */

/** One listing module; `k` picks the variant, `i` makes names and literals distinct. */
function listing(i: number): string[] {
  const k = i % 4;
  const out = [`mod listing_${i} {`];
  if (k === 0) {
    out.push(
      '    #[derive(Debug, Clone, PartialEq)]',
      '    pub struct Inventory {',
      '        pub name: String,',
      '        pub items: Vec<u32>,',
      '        pub limit: usize,',
      '    }',
      '',
      '    impl Inventory {',
      '        pub fn new(name: &str, limit: usize) -> Inventory {',
      '            Inventory { name: String::from(name), items: Vec::new(), limit }',
      '        }',
      '',
      '        pub fn add(&mut self, item: u32) -> bool {',
      '            if self.items.len() >= self.limit {',
      '                return false;',
      '            }',
      '            self.items.push(item);',
      '            true',
      '        }',
      '',
      '        pub fn total(&self) -> u32 {',
      '            let mut sum = 0;',
      '            for x in &self.items {',
      '                sum += *x;',
      '            }',
      '            sum',
      '        }',
      '    }',
    );
  } else if (k === 1) {
    out.push(
      '    #[derive(Debug, Clone, Copy, PartialEq)]',
      '    pub enum Shape {',
      '        Circle(f64),',
      '        Rect { w: f64, h: f64 },',
      '        Empty,',
      '    }',
      '',
      '    impl Shape {',
      '        pub fn area(&self) -> f64 {',
      '            match self {',
      '                Shape::Circle(r) => 3.14 * r * r,',
      '                Shape::Rect { w, h } => w * h,',
      '                Shape::Empty => 0.0,',
      '            }',
      '        }',
      '',
      '        pub fn scale(self, by: f64) -> Shape {',
      '            match self {',
      '                Shape::Circle(r) => Shape::Circle(r * by),',
      '                Shape::Rect { w, h } => Shape::Rect { w: w * by, h: h * by },',
      '                Shape::Empty => Shape::Empty,',
      '            }',
      '        }',
      '    }',
    );
  } else if (k === 2) {
    out.push(
      '    #[derive(Debug)]',
      '    pub struct Node<T> {',
      '        pub value: T,',
      '        pub children: Vec<Node<T>>,',
      '    }',
      '',
      '    impl<T: Clone> Node<T> {',
      '        pub fn new(value: T) -> Self {',
      '            Node { value, children: Vec::new() }',
      '        }',
      '',
      '        pub fn push(&mut self, value: T) -> &mut Node<T> {',
      '            self.children.push(Node::new(value));',
      '            let last = self.children.len() - 1;',
      '            &mut self.children[last]',
      '        }',
      '',
      '        pub fn count(&self) -> usize {',
      '            1 + self.children.iter().map(|c| c.count()).sum::<usize>()',
      '        }',
      '    }',
    );
  } else {
    out.push(
      '    pub struct Counter {',
      '        pub count: u64,',
      '        pub label: String,',
      '    }',
      '',
      '    impl Counter {',
      '        pub fn new(label: String) -> Counter {',
      '            Counter { count: 0, label }',
      '        }',
      '',
      '        pub fn tick(&mut self) -> u64 {',
      '            self.count += 1;',
      '            self.count',
      '        }',
      '',
      '        pub fn label(&self) -> &str {',
      '            &self.label',
      '        }',
      '    }',
      '',
      '    impl Drop for Counter {',
      '        fn drop(&mut self) {',
      '            let _ = self.count;',
      '        }',
      '    }',
    );
  }
  out.push(
    '',
    '    pub trait Describe {',
    '        fn describe(&self) -> String;',
    '        fn shout(&self) -> String {',
    '            self.describe().to_uppercase()',
    '        }',
    '    }',
    '',
    '    impl Describe for String {',
    '        fn describe(&self) -> String {',
    `            format!("listing ${i}: {}", self)`,
    '        }',
    '    }',
    '',
    '    pub fn largest<T: PartialOrd + Copy>(list: &[T]) -> T {',
    '        let mut largest = list[0];',
    '        for &item in list {',
    '            if item > largest {',
    '                largest = item;',
    '            }',
    '        }',
    '        largest',
    '    }',
    '',
    '    fn helper(words: &Vec<String>) -> usize {',
    '        let lens: Vec<usize> = words.iter().map(|w| w.len()).collect();',
    '        let long = words.iter().filter(|w| w.len() > 3).count();',
    '        lens.len() + long',
    '    }',
    '',
    '    fn process(mut text: String, extra: &str) -> String {',
    '        text.push_str(extra);',
    '        let copy = text.clone();',
    '        let r = &copy;',
    '        if r.is_empty() {',
    '            return text;',
    '        }',
    '        text + r',
    '    }',
    '',
    '    pub mod util {',
    '        pub fn helper(n: i32) -> i32 {',
    '            let double = |x: i32| x * 2;',
    '            double(n) + super::largest(&[n, 1, 2])',
    '        }',
    '    }',
    '',
    '    pub fn main() {',
    `        let s = String::from("hello ${i}");`,
    '        let t = s.clone();',
    '        let words = vec![s, String::from("world"), t];',
    '        let n = helper(&words);',
    '        let joined = process(words[0].clone(), "!");',
    '        let d = joined.describe();',
    '        let mut total = util::helper(n as i32);',
    '        let add = |k: i32| k + 1;',
    '        total = add(total);',
    '        let nums = vec![3, 7, 1, total];',
    '        let big = largest(&nums);',
  );
  if (k === 0) {
    out.push(
      '        let mut inv = Inventory::new("shop", 4);',
      '        inv.add(big as u32);',
      '        inv.add(2);',
      '        let copy = inv.clone();',
      '        println!("{} {} {} {}", d, inv.total(), copy.name, copy == inv);',
    );
  } else if (k === 1) {
    out.push(
      '        let c = Shape::Circle(big as f64);',
      '        let r = Shape::Rect { w: 2.0, h: 3.0 };',
      '        let scaled = c.scale(2.0);',
      '        println!("{} {} {} {:?}", d, c.area(), r.area(), scaled);',
    );
  } else if (k === 2) {
    out.push(
      '        let mut root = Node::new(big);',
      '        root.push(1).push(2);',
      '        root.push(3);',
      '        println!("{} {} {}", d, root.count(), root.value);',
    );
  } else {
    out.push(
      '        let mut c = Counter::new(d);',
      '        c.tick();',
      '        let last = c.tick() + big as u64;',
      '        println!("{} {} {}", c.label(), last, c.count);',
    );
  }
  out.push('    }', '}', '');
  return out;
}

/**
 * A multi-module crate of at least `lines` lines (see the module comment): `mod listing_0` ...
 * `mod listing_N`, then `fn main` calling each listing's `main`.
 */
export function generateModules(lines = 6_000): string {
  const out = ['#![allow(unused, dead_code)]', ''];
  let i = 0;
  while (out.length + i + 3 < lines) out.push(...listing(i++));
  out.push('fn main() {');
  for (let k = 0; k < i; k++) out.push(`    listing_${k}::main();`);
  out.push('}', '');
  return out.join('\n');
}
