/**
 * The std types the simulation completes (BTreeMap, BTreeSet, VecDeque, HashSet, Rc/Weak,
 * Arc/Mutex, RwLock), each on a small program that the installed rustc compiles and runs: the
 * simulated program prints what the compiled one prints, and its heap blocks are allocated,
 * owned and freed where the program allocates, owns and frees them (sizes as rustc's allocator
 * sees them: a BTreeMap<String, i32> leaf is 320 bytes, an ArcInner<Mutex<i32>> 32).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeapBlock, MemoryEvent, Snapshot } from '../../shared/protocol';
import { runSnapshotAt as snapshotAt } from '../../server/src/ide/snapshot';
import type { Run } from '../../server/src/interp';
import { posOf, runSource } from '../support/interpSource';
import { checkedRun, rustcRun as rustcOutput } from '../support/rustc';

const checked = checkedRun;

const events = (run: Run): MemoryEvent[] => run.steps.flatMap((s) => s.events);
/** The memory after the line holding `marker` ran. */
const at = (run: Run, src: string, marker: string, nth = 0): Snapshot => snapshotAt(run, posOf(src, marker, nth));
const live = (s: Snapshot): HeapBlock[] => s.heap.filter((h) => h.state === 'live');
const slotId = (s: Snapshot, name: string): string => {
  const f = s.frames[s.frames.length - 1];
  const slot = [...f.slots].reverse().find((x) => x.name === name);
  assert.ok(slot, `no slot ${name}`);
  return slot.id;
};
/** Every allocation freed exactly once by the end: nothing leaks, nothing is freed twice. */
function balanced(run: Run): void {
  const allocs = events(run)
    .filter((e) => e.kind === 'alloc')
    .map((e) => e.ids[0]);
  const frees = events(run)
    .filter((e) => e.kind === 'free')
    .map((e) => e.ids[0]);
  assert.deepEqual([...frees].sort(), [...allocs].sort(), 'every block is freed once');
}

test('BTreeMap: keys in order, one 320-byte leaf owning the keys; remove drops the key, the map frees its node', (t) => {
  const src = [
    'use std::collections::BTreeMap;',
    'fn main() {',
    '    let mut m = BTreeMap::new();',
    '    m.insert(String::from("pear"), 3);',
    '    m.insert(String::from("apple"), 1);',
    '    m.insert(String::from("fig"), 2);',
    '    *m.entry(String::from("apple")).or_insert(0) += 10;',
    '    m.insert(String::from("fig"), 20);',
    '    let first = m.first_key_value();',
    '    println!("{:?}", first);',
    '    for (k, v) in &m {',
    '        println!("{} {}", k, v);',
    '    }',
    '    let removed = m.remove("pear");',
    '    println!("{:?} {} {:?}", removed, m.len(), m);',
    '    let keys: Vec<&String> = m.keys().collect();',
    '    println!("{:?}", keys);',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'btreemap', src);
  const s1 = at(run, src, 'm.insert(String::from("pear")');
  const [leaf] = live(s1).filter((h) => h.type === '[(String, i32)]');
  assert.deepEqual([leaf.capacity, leaf.len, leaf.elementCapacity, leaf.owner], [320, 1, 11, slotId(s1, 'm')]);
  assert.equal(live(s1).find((h) => h.text === 'pear')?.owner, leaf.id, 'the key String is owned by the node');
  const s3 = at(run, src, 'm.insert(String::from("fig"), 2)');
  assert.deepEqual(
    live(s3)
      .filter((h) => h.type === '[u8]')
      .map((h) => [h.text, h.owner]),
    [
      ['pear', leaf.id],
      ['apple', leaf.id],
      ['fig', leaf.id],
    ],
  );
  // The entry's key ("apple" again) and insert's new key ("fig" again) are dropped: their blocks are freed.
  const sEntry = at(run, src, 'm.entry(');
  assert.equal(sEntry.heap.filter((h) => h.text === 'apple' && h.state === 'freed').length, 1);
  const sRemove = at(run, src, 'let removed');
  assert.ok(
    sRemove.events.some((e) => e.kind === 'free'),
    'removing "pear" frees its key',
  );
  assert.deepEqual(
    live(sRemove)
      .filter((h) => h.type === '[u8]')
      .map((h) => h.text),
    ['apple', 'fig'],
  );
  balanced(run);
});

test('BTreeSet: ordered set of i32 in one 56-byte leaf; set operations in key order', (t) => {
  const src = [
    'use std::collections::BTreeSet;',
    'fn main() {',
    '    let mut s = BTreeSet::new();',
    '    for x in [5, 1, 4, 1, 3] {',
    '        s.insert(x);',
    '    }',
    '    println!("{:?} {} {}", s, s.len(), s.contains(&4));',
    '    let t: BTreeSet<i32> = [3, 4, 9].into_iter().collect();',
    '    let common: Vec<&i32> = s.intersection(&t).collect();',
    '    println!("{:?} {:?} {:?}", common, s.first(), s.last());',
    '    s.remove(&1);',
    '    let p = s.pop_first();',
    '    println!("{:?} {:?}", s, p);',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'btreeset', src);
  const s = at(run, src, 'println!("{:?} {} {}"');
  const leaf = live(s).find((h) => h.type === '[i32]');
  assert.deepEqual(leaf && [leaf.capacity, leaf.len, leaf.contents.map((c) => c.text), leaf.owner], [
    56,
    4,
    ['1', '3', '4', '5'],
    slotId(s, 's'),
  ]);
  balanced(run);
});

test('VecDeque: a ring buffer; push_front wraps, growth moves the head part to the end, as_slices shows both parts', (t) => {
  const src = [
    'use std::collections::VecDeque;',
    'fn main() {',
    '    let mut d = VecDeque::new();',
    '    d.push_back(1);',
    '    d.push_back(2);',
    '    d.push_front(0);',
    '    d.push_back(3);',
    '    d.push_front(-1);',
    '    println!("{:?} {} {}", d, d.len(), d.capacity());',
    '    let (a, b) = d.as_slices();',
    '    println!("{:?} {:?}", a, b);',
    '    println!("{:?} {:?}", d.pop_front(), d.pop_back());',
    '    println!("{:?} {:?} {:?}", d.front(), d.back(), d.get(1));',
    '    d.push_front(7);',
    '    d.push_front(8);',
    '    println!("{:?}", d.as_slices());',
    '    d.make_contiguous();',
    '    println!("{:?} {:?}", d.as_slices(), d);',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'vecdeque', src);
  const wrapped = at(run, src, 'd.push_front(0)');
  assert.deepEqual(
    live(wrapped).map((h) => [h.capacity, h.contents.map((c) => c.text)]),
    [[16, ['1', '2', 'uninit', '0']]],
    'element 0 sits at the end of the 4-slot ring',
  );
  const grown = at(run, src, 'd.push_front(-1)');
  assert.deepEqual(
    grown.heap.map((h) => [h.state, h.capacity]),
    [
      ['freed', 16],
      ['live', 32],
    ],
    'growing reallocates from 4 to 8 slots',
  );
  assert.deepEqual(
    live(grown)[0].contents.map((c) => c.text),
    ['1', '2', '3', 'uninit', 'uninit', 'uninit', '-1', '0'],
  );
  balanced(run);
});

test('HashSet: hashbrown capacities, a duplicate insert drops the new String, remove drops the element', () => {
  const src = [
    'use std::collections::HashSet;',
    'fn main() {',
    '    let mut s = HashSet::new();',
    '    println!("{}", s.capacity());',
    '    s.insert(String::from("a"));',
    '    s.insert(String::from("b"));',
    '    let dup = s.insert(String::from("a"));',
    '    println!("{} {} {} {}", dup, s.len(), s.contains("b"), s.capacity());',
    '    s.remove("a");',
    '    let mut v: Vec<&String> = s.iter().collect();',
    '    v.sort();',
    '    println!("{:?} {}", v, s.len());',
    '}',
    '',
  ].join('\n');
  const run = runSource(src);
  assert.equal(run.stop.reason, 'end', run.stop.message);
  const want = rustcOutput('hashset', src);
  if (want) assert.deepEqual(run.stdout, want);
  const s = at(run, src, 'let dup');
  const table = live(s).find((h) => h.type === '[String]')!;
  // 4 buckets of 24-byte Strings + 4 control bytes + a 16-byte group.
  assert.deepEqual([table.capacity, table.len, table.elementCapacity, table.owner], [4 * 24 + 4 + 16, 2, 3, slotId(s, 's')]);
  assert.equal(s.heap.filter((h) => h.text === 'a' && h.state === 'freed').length, 1, 'the duplicate "a" is dropped');
  balanced(run);
});

test('Rc and Weak: the value drops at strong 0, the 24-byte-plus-value block at weak 0', (t) => {
  const src = [
    'use std::rc::{Rc, Weak};',
    'fn main() {',
    '    let strong = Rc::new(String::from("shared"));',
    '    let weak: Weak<String> = Rc::downgrade(&strong);',
    '    println!("{} {}", Rc::strong_count(&strong), Rc::weak_count(&strong));',
    '    let up = weak.upgrade();',
    '    println!("{:?} {}", up, Rc::strong_count(&strong));',
    '    drop(up);',
    '    drop(strong);',
    '    println!("{:?} {}", weak.upgrade(), weak.strong_count());',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'weak', src);
  const made = at(run, src, 'let weak');
  const rcBlock = made.heap.find((h) => h.type === 'String')!;
  assert.deepEqual([rcBlock.capacity, rcBlock.rc, rcBlock.owner], [40, { strong: 1, weak: 1 }, slotId(made, 'strong')]);
  const afterDrop = at(run, src, 'drop(strong)');
  assert.deepEqual(
    afterDrop.heap.map((h) => [h.type, h.state]),
    [
      ['[u8]', 'freed'],
      ['String', 'live'],
    ],
    'strong 0: the String inside is dropped, the RcInner block lives on for the Weak',
  );
  balanced(run);
});

test('an Rc moved through a chain of Option adapters is dropped once: `and_then(..).map(|rc| ..)` keeps the count', (t) => {
  // The receiver of `map` is a temporary whose type the checker did not know (the closure's
  // return type): the call is resolved when it runs, and by value it moves the temporary.
  const src = [
    'use std::cell::RefCell;',
    'use std::rc::{Rc, Weak};',
    'fn main() {',
    '    let a = Rc::new(RefCell::new(5));',
    '    let w: Weak<RefCell<i32>> = Rc::downgrade(&a);',
    '    let r = Some(&w);',
    '    let v = r.and_then(|w| w.upgrade()).map(|p| *p.borrow() + 1);',
    '    println!("{:?} {}", v, Rc::strong_count(&a));',
    '    let s = Some(&a).and_then(|p| Some(Rc::clone(p))).map(|q| *q.borrow());',
    '    println!("{:?} {}", s, Rc::strong_count(&a));',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'rc-option-chain', src);
  assert.deepEqual(run.stdout, ['Some(6) 1', 'Some(5) 1']);
  balanced(run);
});

test('Arc and Mutex: the Mutex lives inside the ArcInner block (32 bytes), guards write through it', (t) => {
  const src = [
    'use std::sync::{Arc, Mutex};',
    'fn main() {',
    '    let counter = Arc::new(Mutex::new(0));',
    '    let c2 = Arc::clone(&counter);',
    '    {',
    '        let mut g = c2.lock().unwrap();',
    '        *g += 5;',
    '    }',
    '    *counter.lock().unwrap() += 1;',
    '    println!("{} {:?}", Arc::strong_count(&counter), counter);',
    '    let w = Arc::downgrade(&counter);',
    '    drop(c2);',
    '    println!("{} {}", Arc::strong_count(&counter), w.upgrade().is_some());',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'mutex', src);
  const s = at(run, src, '*g += 5');
  const block = s.heap.find((h) => h.type === 'Mutex<i32>')!;
  assert.deepEqual([block.capacity, block.rc, block.contents[0]?.text], [32, { strong: 2, weak: 0 }, 'Mutex(5)']);
  balanced(run);
});

test('RwLock: inline on the stack, read guards share it, a write guard grows the Vec inside', (t) => {
  const src = [
    'use std::sync::RwLock;',
    'fn main() {',
    '    let lock = RwLock::new(vec![1, 2]);',
    '    {',
    '        let r1 = lock.read().unwrap();',
    '        let r2 = lock.read().unwrap();',
    '        println!("{} {}", r1.len(), r2[0]);',
    '    }',
    '    lock.write().unwrap().push(3);',
    '    println!("{:?}", lock.read().unwrap());',
    '    let v = lock.into_inner().unwrap();',
    '    println!("{:?}", v);',
    '}',
    '',
  ].join('\n');
  const run = checked(t, 'rwlock', src);
  const s = at(run, src, 'let r2');
  const slot = s.frames[0].slots.find((x) => x.name === 'lock')!;
  assert.deepEqual([slot.type, slot.size], ['RwLock<Vec<i32>>', 40]);
  const pushed = at(run, src, 'lock.write()');
  assert.deepEqual(
    pushed.heap.map((h) => [h.state, h.elementCapacity]),
    [
      ['freed', 2],
      ['live', 4],
    ],
  );
  balanced(run);
});
