/**
 * Small programs in the style of a Rust course's chapters (`test/fixtures/runs/`: structs and
 * enums with `match`, collections, `String`/`&str`, errors with `?`, generics and traits,
 * closures and iterators, `Box`/`Rc`/`RefCell`/`Weak`, `Drop`), written for this project: each is
 * compiled and run by the installed rustc, and the simulation must run it to the end knowing
 * every value and print exactly what the compiled program prints. The fixtures checker also
 * holds them to no diagnostic (rustc accepts them).
 */
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../support/fixtures';
import { checkedRun } from '../support/rustc';

const dir = path.join(fixturesDir(), 'runs');

for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.rs'))
  .sort()) {
  test(`runs/${file}: prints what the compiled program prints`, (t) => {
    checkedRun(t, path.basename(file, '.rs').replace(/-/g, '_'), fs.readFileSync(path.join(dir, file), 'utf8'));
  });
}
