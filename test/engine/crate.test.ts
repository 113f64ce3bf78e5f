// Cargo crates (server/src/engine/crate.ts, checkCrate.ts, vfs.ts): the crate fixtures'
// annotations are what the whole-crate check reports in each file; a file is analysed with the
// items, signatures and bodies of the rest of its crate (paths across files, the simulation
// entering another module's function); an edit in one file re-analyses only the units of the
// other files that depend on it; missing module files and external crates cost no diagnostic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentAnalyzer, type Analysis } from '../../server/src/engine/engine';
import { CrateView, crateOf, parseManifest, readPackage, moduleFiles } from '../../server/src/engine/crate';
import { checkPackage } from '../../server/src/engine/checkCrate';
import { Vfs, type FileSystem } from '../../server/src/engine/vfs';
import { hoverAt } from '../../server/src/ide/hover';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { localizeSnapshot } from '../../server/src/ide/crateFiles';
import { CRATE_LINE_STRIDE } from '../../server/src/engine/crate';
import { parseAnnotations, matchErrors } from '../support/annotations';
import { crateSources, listCrateFixtures } from '../support/fixtures';

// --- an in-memory file system, to edit files that are not open

class MemoryFs implements FileSystem {
  readonly files = new Map<string, { text: string; stamp: number }>();
  private clock = 0;

  constructor(root: string, files: Record<string, string>) {
    for (const [rel, text] of Object.entries(files)) this.write(path.join(root, rel), text);
  }

  write(p: string, text: string): void {
    this.files.set(path.resolve(p), { text, stamp: ++this.clock });
  }

  readFile(p: string): string | undefined {
    return this.files.get(path.resolve(p))?.text;
  }

  stamp(p: string): string | undefined {
    const f = this.files.get(path.resolve(p));
    return f ? String(f.stamp) : undefined;
  }

  readDir(p: string): string[] {
    const dir = path.resolve(p) + path.sep;
    const names = new Set<string>();
    for (const f of this.files.keys()) if (f.startsWith(dir)) names.add(f.slice(dir.length).split(path.sep)[0]);
    return [...names];
  }
}

const ROOT = path.resolve('/virtual/pkg');
const MANIFEST = '[package]\nname = "pkg"\nversion = "0.1.0"\nedition = "2021"\n';

/** A document of a crate analysed with its crate, version after version. */
function opened(vfs: Vfs, rel: string): { analyze: () => Analysis; view: CrateView } {
  const file = path.join(ROOT, rel);
  const c = crateOf(file, vfs);
  assert.ok(c, `${rel} is in a crate`);
  const view = new CrateView(vfs, c.pkg, c.root, file);
  const analyzer = new DocumentAnalyzer();
  return {
    view,
    analyze: () => {
      const src = vfs.file(file)!;
      return analyzer.analyze(src.text, { tree: src.tree, crate: view, edition: c.pkg.edition });
    },
  };
}

const codes = (a: Analysis): string[] => a.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`);

// --- the crate fixtures: what the whole-crate check reports in each file is what is annotated

for (const dir of listCrateFixtures()) {
  test(`crate fixture ${path.basename(dir)}: the check of the crate agrees with the annotations of every file`, () => {
    const vfs = new Vfs();
    const pkg = readPackage(path.join(dir, 'Cargo.toml'), vfs);
    assert.ok(pkg.roots.length > 0, 'the package has a crate');
    const checked = checkPackage(pkg, vfs);
    const reported = new Map<string, { code: string; line: number; message: string }[]>();
    for (const c of checked)
      for (const f of c.files) {
        const rel = path.relative(dir, f.file).split(path.sep).join('/');
        assert.deepEqual(f.failures, [], `${rel}: no function failed`);
        reported.set(rel, [
          ...(reported.get(rel) ?? []),
          ...f.diagnostics.map((d) => ({ code: d.code, line: d.range.start.line + 1, message: d.message })),
        ]);
      }
    for (const rel of crateSources(dir)) {
      assert.ok(reported.has(rel), `${rel} is a module of a crate of the package`);
      const expected = parseAnnotations(fs.readFileSync(path.join(dir, rel), 'utf8')).errors;
      const m = matchErrors(expected, reported.get(rel)!);
      assert.deepEqual(
        { missing: m.missing.map((e) => `${e.code}@${e.line}`), unexpected: m.unexpected.map((e) => `${e.code}@${e.line} ${e.message}`) },
        { missing: [], unexpected: [] },
        rel,
      );
    }
  });
}

test('the shop crate: types and the simulation cross module files (util::take frees the moved String)', () => {
  const dir = listCrateFixtures().find((d) => path.basename(d) === 'shop');
  assert.ok(dir);
  const vfs = new Vfs();
  const main = path.join(dir, 'src', 'main.rs');
  const c = crateOf(main, vfs)!;
  assert.equal(c.pkg.edition, '2021');
  assert.deepEqual(
    moduleFiles(c.root, vfs).map((f) => path.relative(dir, f).split(path.sep).join('/')),
    ['src/main.rs', 'src/inventory/mod.rs', 'src/report.rs', 'src/util.rs', 'src/inventory/item.rs'],
  );
  const text = vfs.file(main)!.text;
  const a = new DocumentAnalyzer().analyze(text, { crate: new CrateView(vfs, c.pkg, c.root, main), edition: c.pkg.edition });
  const lines = text.split('\n');
  const lineOf = (s: string): number => lines.findIndex((l) => l.includes(s));
  // `n` is typed from util.rs's signature.
  const nLine = lineOf('let n = util::take(s);');
  const hover = hoverAt(a, { line: nLine, character: lines[nLine].indexOf('n =') });
  assert.match(hover?.markdown ?? '', /usize/);
  // After the call, the String's buffer was freed by `take` (in util.rs): no live block is left.
  const after = snapshotAt(a, { line: lineOf('println!("{}", n);'), character: 4 }, 1, 0);
  assert.equal(after.status, 'ok', after.message);
  const s = after.frames.flatMap((f) => f.slots).find((x) => x.name === 's');
  assert.ok(s?.movedTo, '`s` was moved');
  assert.deepEqual(
    after.heap.filter((b) => b.state === 'live').map((b) => b.ownerPlace),
    [],
    'the String data was freed when `take` returned',
  );
  const n = after.frames.flatMap((f) => f.slots).find((x) => x.name === 'n');
  assert.match(JSON.stringify(n?.value), /5/);
  // Inside `take` (util.rs analysed with its crate), `s` owns the block until `take` returns.
  const util = path.join(dir, 'src', 'util.rs');
  const utext = vfs.file(util)!.text;
  const ua = new DocumentAnalyzer().analyze(utext, { crate: new CrateView(vfs, c.pkg, c.root, util), edition: c.pkg.edition });
  assert.deepEqual(ua.diagnostics, []);
  // Before the closing brace of `take` (its tail expression `n` has no step of its own).
  const inTake = snapshotAt(ua, { line: utext.split('\n').findIndex((l) => l === '    n') + 1, character: 0 }, 1, 0);
  assert.equal(inTake.status, 'ok', inTake.message);
  assert.deepEqual(
    inTake.frames.map((f) => f.function),
    ['main', 'util::take'],
  );
  assert.deepEqual(
    inTake.heap.filter((b) => b.state === 'live').map((b) => b.ownerPlace),
    ['s'],
  );
  // main's frame is in main.rs: after localizing, its move is at main.rs's line 12, and no
  // optional range points at a row of another file.
  localizeSnapshot(inTake);
  const moved = inTake.frames.find((f) => f.function === 'main')?.slots.find((x) => x.name === 's')?.movedTo;
  assert.deepEqual(moved && { line: moved.line, column: moved.column }, { line: nLine + 1, column: lines[nLine].indexOf('take(s)') + 6 });
  const after2 = localizeSnapshot(snapshotAt(ua, { line: utext.split('\n').findIndex((l) => l === '    n') + 1, character: 0 }, 1, 3));
  assert.equal(after2.frames.at(-1)?.function, 'main', 'three steps later, back in main');
  assert.ok(!after2.range || after2.range.start.line < CRATE_LINE_STRIDE, 'no range in main.rs shown in util.rs');
  assert.doesNotMatch(after2.message, /\d{8}/);
});

// --- incremental: an edit in one file re-analyses what depends on it in the others

test('an edit in a module file re-analyses only the units of main.rs that depend on it', () => {
  const mem = new MemoryFs(ROOT, {
    'Cargo.toml': MANIFEST,
    'src/main.rs': [
      'mod shapes;',
      'mod util;',
      'use shapes::Tag;',
      'fn main() {',
      '    let t = Tag(1);',
      '    util::show(t);',
      '    util::show(t);',
      '}',
      'fn other() {',
      '    let s = String::from("x");',
      '    let n = util::len(s);',
      '    println!("{}", n);',
      '}',
      '',
    ].join('\n'),
    'src/shapes/mod.rs': '#[derive(Clone)]\npub struct Tag(pub u32);\n',
    'src/util.rs': [
      'use crate::shapes::Tag;',
      'pub fn show(t: Tag) {',
      '    println!("{}", t.0);',
      '}',
      'pub fn len(s: String) -> usize {',
      '    s.len()',
      '}',
      '',
    ].join('\n'),
  });
  const vfs = new Vfs(mem);
  const doc = opened(vfs, 'src/main.rs');
  const first = doc.analyze();
  assert.deepEqual(codes(first), ['E0382@7']);
  assert.equal(first.stats.full, true);

  // A change inside a body of util.rs: only that body is analysed again.
  mem.write(
    path.join(ROOT, 'src/util.rs'),
    mem.readFile(path.join(ROOT, 'src/util.rs'))!.replace('    s.len()', '    let k = s.len();\n    k'),
  );
  const second = doc.analyze();
  assert.deepEqual(second.stats.analysed, ['util::len']);
  assert.deepEqual(codes(second), ['E0382@7']);

  // `Tag` becomes `Copy` in shapes/mod.rs: the units that mention `Tag` are analysed again, and
  // main.rs's use after move is gone.
  mem.write(path.join(ROOT, 'src/shapes/mod.rs'), '#[derive(Clone, Copy)]\npub struct Tag(pub u32);\n');
  const third = doc.analyze();
  assert.deepEqual(codes(third), []);
  assert.ok(third.stats.analysed.includes('main'), 'main depends on Tag');
  assert.ok(third.stats.analysed.includes('util::show'), 'util::show depends on Tag');
  assert.ok(!third.stats.analysed.includes('other'), '`other` does not mention Tag');
  assert.ok(!third.stats.analysed.includes('util::len'), '`util::len` does not mention Tag');

  // The same versions from scratch give the same diagnostics.
  const scratch = opened(vfs, 'src/main.rs').analyze();
  assert.deepEqual(codes(scratch), codes(third));
});

test('paths across files: crate::, super::, self::, pub use, nested module files, and mod-rs/non-mod-rs directories', () => {
  const mem = new MemoryFs(ROOT, {
    'Cargo.toml': MANIFEST,
    'src/lib.rs': 'pub mod a;\npub use a::b::Thing as Renamed;\n',
    'src/a.rs': 'pub mod b;\npub fn make() -> crate::Renamed { self::b::Thing { name: String::new() } }\n',
    'src/a/b.rs': [
      'pub struct Thing { pub name: String }',
      'pub fn consume(t: Thing) -> usize { t.name.len() }',
      'pub fn twice() {',
      '    let t = super::make();',
      '    let n = consume(t);',
      '    let m = crate::a::b::consume(t);',
      '    println!("{} {}", n, m);',
      '}',
      '',
    ].join('\n'),
  });
  const vfs = new Vfs(mem);
  assert.deepEqual(
    moduleFiles(path.join(ROOT, 'src/lib.rs'), vfs).map((f) => path.relative(ROOT, f)),
    ['src/lib.rs', 'src/a.rs', path.join('src', 'a', 'b.rs')],
  );
  const a = opened(vfs, 'src/a/b.rs').analyze();
  assert.deepEqual(codes(a), ['E0382@6']);
  assert.match(a.diagnostics[0].message, /use of moved value: `t`/);
});

test('a missing module file and an external crate cost no diagnostic (their names stay unknown)', () => {
  const mem = new MemoryFs(ROOT, {
    'Cargo.toml': MANIFEST + '\n[dependencies]\nregex = "1"\n',
    'src/main.rs': [
      'mod gone;',
      'use regex::Regex;',
      'fn main() {',
      '    let s = String::from("a");',
      '    let r = Regex::new(&s);',
      '    let t = gone::keep(&s);',
      '    let u = regex::escape(&s);',
      '    println!("{:?} {:?} {:?} {}", r, t, u, s);',
      '    let v = s;',
      '    println!("{} {}", v, s);',
      '}',
      '',
    ].join('\n'),
  });
  const vfs = new Vfs(mem);
  const a = opened(vfs, 'src/main.rs').analyze();
  // What the unknown functions do with `&s` is not known: nothing is said about it; the move
  // into `v` is still checked.
  assert.deepEqual(codes(a), ['E0382@10']);
});

test('Cargo.toml: [package] edition, [lib] and [[bin]] paths; absent edition is 2015 as Cargo', () => {
  const m = parseManifest(
    [
      '# comment',
      '[package]',
      'name = "x" # trailing',
      "edition = '2018'",
      '',
      '[lib]',
      'path = "src/mylib.rs"',
      '[[bin]]',
      'name = "tool"',
      'path = "tools/tool.rs"',
      '[dependencies]',
      'path = "not/a/bin"',
    ].join('\n'),
  );
  assert.deepEqual(m, { name: 'x', edition: '2018', editionGiven: true, libPath: 'src/mylib.rs', binPaths: ['tools/tool.rs'] });
  assert.equal(parseManifest('[package]\nedition.workspace = true\n').edition, undefined);
  const mem = new MemoryFs(ROOT, {
    'Cargo.toml': '[package]\nname = "old"\n',
    'src/main.rs': 'fn main() {}\n',
    'src/bin/extra.rs': 'fn main() {}\n',
    'src/bin/multi/main.rs': 'fn main() {}\n',
  });
  const pkg = readPackage(path.join(ROOT, 'Cargo.toml'), new Vfs(mem));
  assert.equal(pkg.edition, '2015');
  assert.deepEqual(
    pkg.roots.map((r) => path.relative(ROOT, r)),
    ['src/main.rs', path.join('src', 'bin', 'extra.rs'), path.join('src', 'bin', 'multi', 'main.rs')],
  );
});

test('bounded module trees: a file declared twice or declaring itself is read once; tests/*.rs are crate roots with their own modules', () => {
  const mem = new MemoryFs(ROOT, {
    'Cargo.toml': MANIFEST,
    'src/main.rs':
      '#[path = "main.rs"]\nmod again;\nmod a;\n#[path = "a.rs"]\nmod b;\nfn main() { let s = String::new(); a::f(s); b::f(s); }\n',
    'src/a.rs': 'pub fn f(s: String) -> usize { s.len() }\n',
    'tests/it.rs': 'mod common;\nfn t() { let v = vec![1]; common::take(v); common::take(v); }\n',
    'tests/common/mod.rs': 'pub fn take(v: Vec<i32>) {}\n',
  });
  const vfs = new Vfs(mem);
  assert.deepEqual(
    moduleFiles(path.join(ROOT, 'src/main.rs'), vfs).map((f) => path.relative(ROOT, f)),
    ['src/main.rs', 'src/a.rs'],
  );
  // `b` is left empty (the file is already `a`): `b::f(s)` is unknown, but passing `s` is still a move.
  assert.deepEqual(codes(opened(vfs, 'src/main.rs').analyze()), ['E0382@6']);
  const it = opened(vfs, 'tests/it.rs');
  assert.equal(it.view.root, path.join(ROOT, 'tests/it.rs'));
  assert.deepEqual(codes(it.analyze()), ['E0382@2']);
});

test('the edition comes from Cargo.toml: the shop crate in edition 2018 borrows all of `p` in the closure (E0502, as cargo check says)', () => {
  const dir = listCrateFixtures().find((d) => path.basename(d) === 'shop')!;
  const files: Record<string, string> = {};
  for (const rel of [...crateSources(dir), 'Cargo.toml']) files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  files['Cargo.toml'] = files['Cargo.toml'].replace('edition = "2021"', 'edition = "2018"');
  const vfs = new Vfs(new MemoryFs(ROOT, files));
  const doc = opened(vfs, 'src/main.rs');
  assert.equal(doc.view.edition, '2018');
  // `cargo check` on this package in edition 2018 reports exactly these in main.rs.
  assert.deepEqual(codes(doc.analyze()), ['E0382@14', 'E0502@19', 'E0502@25', 'E0382@32']);
});
