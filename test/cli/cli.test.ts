// The rust-memory CLI: exit statuses, formats, and the rustc-like text rendering.
// Engine-dependent assertions (E0382 found, hover facts, snapshot frames) fail until the engine
// provides them; the renderer is also checked on its own against rustc's own output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli, scratch } from '../support/cli';
import { listCrateFixtures } from '../support/fixtures';
import { realRun } from '../support/rustcRun';
import { renderDiagnostic, summary } from '../../server/src/cli/diagnostics';
import { renderSnapshotText } from '../../shared/render/text';
import { SourceText } from '../../server/src/cli/sourceText';
import type { EngineDiagnostic } from '../../server/src/engine/engine';
import type { Snapshot } from '../../shared/protocol';

const USE_AFTER_MOVE = 'fn main() {\n    let x = String::from("a");\n    let y = x;\n    println!("{}", x);\n}\n';
const CLEAN = 'fn main() {\n    let x = String::from("a");\n    let y = x.clone();\n    println!("{} {}", x, y);\n}\n';
// A tab, Tamil (combining marks) and an emoji before the moved value; rustc reports 6:26.
const WIDE = 'fn main() {\n\tlet s = "வணக்கம் 🦀"; let x = String::from("a");\n    let y = x;\n\n\n    println!("{} {}", s, x);\n}\n';

describe('usage and exit statuses', () => {
  it('--help prints the usage and exits 0', () => {
    const r = runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /rust-memory check \[--format text\|json\] \[--edition E\] FILE/);
  });
  it('no arguments prints the usage on stderr and exits 2', () => {
    const r = runCli([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage:/);
    assert.equal(r.stdout, '');
  });
  it('bad usage exits 2 with a message', () => {
    for (const args of [
      ['frobnicate'],
      ['check'],
      ['check', '--format', 'xml', 'a.rs'],
      ['check', '--bogus', 'a.rs'],
      ['hover', 'a.rs'],
      ['snapshot', 'a.rs:1'],
    ]) {
      const r = runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error: /, args.join(' '));
    }
  });
  it('an unreadable file exits 2 and says so; other files are still checked', () => {
    const clean = scratch('clean.rs', CLEAN);
    const r = runCli(['check', '/nonexistent/dir/main.rs', clean]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /could not read `\/nonexistent\/dir\/main\.rs`: no such file/);
    assert.match(r.stdout, /no errors found/);
    const d = runCli(['check', path.dirname(clean)]);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /is a directory/);
  });
  it('a clean file exits 0 with "no errors found"', () => {
    const r = runCli(['check', scratch('clean.rs', CLEAN)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'no errors found\n');
  });
  it('a position outside the file exits 2', () => {
    const f = scratch('clean.rs', CLEAN);
    for (const loc of [`${f}:0:1`, `${f}:99:1`, `${f}:2:99`]) {
      const r = runCli(['hover', loc]);
      assert.equal(r.code, 2, loc);
      assert.match(r.stderr, /outside the file/);
    }
  });
});

describe('check', () => {
  it('text: prints E0382 as rustc does and exits 1', () => {
    const f = scratch('use_after_move.rs', USE_AFTER_MOVE);
    const r = runCli(['check', f]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'error[E0382]: borrow of moved value: `x`');
    assert.equal(lines[1], ` --> ${f}:4:20`);
    assert.equal(lines[2], '  |');
    assert.ok(lines.includes('3 |     let y = x;'), r.stdout);
    assert.ok(lines.includes('  |             - value moved here'), r.stdout);
    assert.ok(lines.includes('4 |     println!("{}", x);'), r.stdout);
    assert.ok(
      lines.some((l) => l.startsWith('  |                    ^')),
      r.stdout,
    );
    assert.match(r.stdout, /^error: 1 error found$/m);
  });
  it('json: one array over all files, 1-based char columns, related locations', () => {
    const bad = scratch('use_after_move.rs', USE_AFTER_MOVE);
    const clean = scratch('clean.rs', CLEAN);
    const wide = scratch('wide.rs', WIDE);
    const r = runCli(['check', '--format', 'json', clean, bad, wide]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.ok(Array.isArray(out));
    assert.deepEqual(
      out.map((d) => [d.file, d.line, d.column, d.code]),
      [
        [bad, 4, 20, 'E0382'],
        [wide, 6, 26, 'E0382'],
      ],
    );
    const d = out[0];
    assert.deepEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'related', 'severity']);
    assert.equal(d.severity, 'error');
    assert.equal(d.message, 'borrow of moved value: `x`');
    assert.equal(d.endLine, 4);
    assert.equal(d.endColumn, 21);
    assert.deepEqual(
      (d.related as unknown[]).find((x) => (x as { message: string }).message === 'value moved here'),
      { file: bad, line: 3, column: 13, message: 'value moved here' },
    );
    const w = out[1].related as { line: number; column: number; message: string }[];
    assert.ok(
      w.some((x) => x.line === 3 && x.column === 13),
      JSON.stringify(w),
    );
  });
  it('json: a clean file gives an empty array and exit 0', () => {
    const r = runCli(['check', '--format', 'json', scratch('clean.rs', CLEAN)]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });
  it('a function too large to check live is noted on stderr, not passed over in silence', () => {
    const filler = Array.from({ length: 4_000 }, (_, i) => `    let _v${i} = Some(Some(${i}));`).join('\n');
    const f = scratch('too_large.rs', `fn main() {\n    let s = String::from("x");\n    let t = s;\n    let u = s;\n${filler}\n}\n`);
    const r = runCli(['check', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^note: .*too_large\.rs: not borrow-checked: `main` is too large to check and simulate live \([\d,]+ MIR statements; the limit is 10,000\)$/m,
    );
  });
});

describe('hover', () => {
  it('json: the HoverInfo fields of `x` (String, 24 bytes, stack of main)', () => {
    const f = scratch('use_after_move.rs', USE_AFTER_MOVE);
    const r = runCli(['hover', `${f}:2:9`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const h = JSON.parse(r.stdout);
    assert.equal(h.name, 'x');
    assert.equal(h.type, 'String');
    assert.equal(h.size, 24);
    assert.equal(h.align, 8);
    assert.equal(h.location, 'stack');
    assert.equal(h.function, 'main');
    assert.equal(h.target, 'heap');
    assert.deepEqual([h.line, h.column, h.endLine, h.endColumn], [2, 9, 2, 10]);
  });
  it('markdown (default) mentions the type and the stack', () => {
    const r = runCli(['hover', `${scratch('use_after_move.rs', USE_AFTER_MOVE)}:2:9`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /String/);
    assert.match(r.stdout, /stack/);
  });
  it('columns count chars: `x` after a tab, Tamil and an emoji', () => {
    const r = runCli(['hover', `${scratch('wide.rs', WIDE)}:2:27`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).name, 'x');
  });
  it('no binding at the position: a message and exit 1', () => {
    const r = runCli(['hover', `${scratch('clean.rs', CLEAN)}:1:1`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no binding at this position/);
  });
});

describe('snapshot', () => {
  it('text: the frame of main with its slots, after the line', () => {
    const r = runCli(['snapshot', `${scratch('clean.rs', CLEAN)}:4:29`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /after line 4 of `main`/);
    assert.match(r.stdout, /│ Name +│ Type +│ Size +│ Value/);
    assert.match(r.stdout, /│ x +│ String +│ 24 /);
    assert.match(r.stdout, /Heap/);
  });
  it("a column at the start of the line's code means before the line", () => {
    const r = runCli(['snapshot', `${scratch('clean.rs', CLEAN)}:3:5`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^before line 3 of `main`/);
    assert.doesNotMatch(r.stdout, /│ y /, 'y does not exist before line 3 runs');
  });
  it('json: a Snapshot with status ok and a main frame', () => {
    const r = runCli(['snapshot', `${scratch('clean.rs', CLEAN)}:4:5`, '--format', 'json', '--visit', '1']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Snapshot;
    assert.equal(s.status, 'ok');
    assert.equal(s.frames[0].function, 'main');
  });
  it('svg: an SVG document', () => {
    const r = runCli(['snapshot', `${scratch('clean.rs', CLEAN)}:4:5`, '--format', 'svg']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<svg[\s>]/);
  });
  it('--visit must be a positive integer', () => {
    const r = runCli(['snapshot', `${scratch('clean.rs', CLEAN)}:4:5`, '--visit', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--visit must be a positive integer/);
  });
});

describe('mir', () => {
  it('prints each body as rustc prints MIR: locals with their names, blocks, borrows and calls', () => {
    const f = scratch('borrow.rs', 'fn main() {\n    let mut v = vec![1];\n    let first = &v[0];\n    v.push(2);\n}\n');
    const r = runCli(['mir', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^fn main\(\) -> \(\) \{/);
    assert.match(r.stdout, /let mut _\d+: Vec<i32>; +\/\/ v/);
    assert.match(r.stdout, /_\d+ = &_\d+\[0\];/);
    assert.match(r.stdout, /_\d+ = &mut\(2φ\) _\d+;/);
    assert.match(r.stdout, /Vec::push\(move _\d+, const 2_i32\) -> bb\d+;/);
  });
  it('--fn keeps one body; an unknown name exits 1', () => {
    const f = scratch('two.rs', 'fn helper() {}\nfn main() { helper(); }\n');
    const r = runCli(['mir', f, '--fn', 'helper']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^fn helper\(\)/);
    assert.doesNotMatch(r.stdout, /fn main/);
    assert.equal(runCli(['mir', f, '--fn', 'nope']).code, 1);
  });
});

describe('run', () => {
  // A final `print!` without a newline, a panic: stdout, stderr and the exit status of the real process.
  const PANICS = [
    'fn main() {',
    '    let v = vec![1, 2, 3];',
    '    print!("a {}", v[0]);',
    '    println!(" b");',
    '    print!("no newline");',
    '    let i = v.len() + 4;',
    '    let x = v[i];',
    '    println!("{}", x);',
    '}',
    '',
  ].join('\n');
  it('prints what the compiled program prints, the panic on stderr, exit 101', (t) => {
    const file = scratch('panics.rs', PANICS);
    const r = runCli(['run', file]);
    assert.equal(r.stdout, 'a 1 b\nno newline');
    assert.equal(r.code, 101);
    const real = realRun(PANICS);
    if ('skip' in real) return t.skip(real.skip);
    assert.equal(r.stdout, real.stdout);
    assert.equal(r.code, real.code);
    // rustc 1.95 adds the thread id, names the file as it was compiled and places an index's
    // panic at its `[`; the rest is the same.
    const shape = (s: string): string =>
      s.replace(/^\nthread 'main' (\(\d+\) )?panicked at [^\n]*:(\d+):\d+:/, "\nthread 'main' panicked at FILE:$2:");
    assert.equal(shape(r.stderr), shape(real.stderr));
  });
  it('--format json: stdout, stderr, exitCode, stopped, unknowns, steps', () => {
    const file = scratch('panics.rs', PANICS);
    const r = runCli(['run', file, '--format', 'json']);
    assert.equal(r.code, 101);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j).sort(), ['exitCode', 'stderr', 'stdout', 'steps', 'uncertain', 'unknowns']);
    assert.equal(j.stdout, 'a 1 b\nno newline');
    assert.equal(j.exitCode, 101);
    assert.match(
      j.stderr as string,
      /^\nthread 'main' panicked at .*panics\.rs:7:\d+:\nindex out of bounds: the len is 3 but the index is 7\n/,
    );
    assert.ok((j.steps as number) > 5);
  });
  it('a program that ends exits 0; one rustc rejects runs nothing and exits 1', () => {
    const ok = runCli(['run', scratch('clean.rs', CLEAN)]);
    assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, 'a a\n', '']);
    const bad = runCli(['run', scratch('moved.rs', USE_AFTER_MOVE)]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /error\[E0382\]: borrow of moved value: `x`/);
  });
  it('a value the simulation cannot know prints as ? and is listed; the step bound stops it', () => {
    const src =
      'fn main() {\n    let t = std::time::SystemTime::now();\n    println!("{:?}", t);\n    let mut n = 0u64;\n    loop { n += 1; if n == 1000 { break; } }\n    println!("{}", n);\n}\n';
    const j = JSON.parse(runCli(['run', scratch('unknown.rs', src), '--format', 'json']).stdout) as {
      stdout: string;
      uncertain: boolean;
      unknowns: string[];
    };
    assert.equal(j.stdout.split('\n')[0], '?');
    assert.equal(j.uncertain, true);
    assert.ok(
      j.unknowns.some((u) => /line 3: printed a value the simulation does not know/.test(u)),
      j.unknowns.join('\n'),
    );
    // Output after a call the simulation does not run may differ from the program's: marked too.
    const after = 'fn main() {\n    let pid = std::process::id();\n    println!("done");\n}\n';
    const a = JSON.parse(runCli(['run', scratch('after.rs', after), '--format', 'json']).stdout) as { stdout: string; uncertain: boolean };
    assert.deepEqual([a.stdout, a.uncertain], ['done\n', true]);
    const stopped = runCli(['run', scratch('unknown.rs', src), '--max-steps', '50']);
    assert.equal(stopped.code, 1);
    assert.match(
      stopped.stderr,
      /rust-memory: the simulation stopped before the program ended at .*: the simulation stopped after 50 MIR steps/,
    );
  });
});

describe('--edition', () => {
  // The same closure program: 2021 captures the field `s.a` (no error), 2018 the whole `s`
  // (E0499), as rustc says for each edition (test/fixtures/closures/ checks both with rustc).
  const src =
    'struct S { a: Vec<i32>, b: Vec<i32> }\nfn main() {\n    let mut s = S { a: vec![], b: vec![] };\n    let mut c = || s.a.push(1);\n    s.b.push(2);\n    c();\n}\n';
  it('defaults to 2021', () => {
    const r = runCli(['check', scratch('edition.rs', src)]);
    assert.equal(r.code, 0, r.stdout);
  });
  it('2018 captures whole variables', () => {
    const r = runCli(['check', '--edition', '2018', scratch('edition.rs', src)]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error\[E0499\]: cannot borrow `s\.b` as mutable more than once at a time/);
  });
  it('rejects an unknown edition', () => {
    const r = runCli(['check', '--edition', '2020', scratch('edition.rs', src)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /2015, 2018, 2021, 2024/);
  });
});

describe('text rendering (renderer alone)', () => {
  it('renders a diagnostic exactly as rustc 1.95 does (tab, Tamil, emoji, elided lines)', () => {
    const src = new SourceText(WIDE);
    const r = (l: number, c: number, l2: number, c2: number) => ({ start: { line: l, character: c }, end: { line: l2, character: c2 } });
    // UTF-16 columns: the emoji is two code units.
    const xDecl = WIDE.split('\n')[1].indexOf('x =');
    const d: EngineDiagnostic = {
      range: r(5, 25, 5, 26),
      severity: 'error',
      code: 'E0382',
      message: 'borrow of moved value: `x`',
      related: [
        {
          range: r(1, xDecl, 1, xDecl + 1),
          message: 'move occurs because `x` has type `String`, which does not implement the `Copy` trait',
        },
        { range: r(2, 12, 2, 13), message: 'value moved here' },
        { range: r(5, 25, 5, 26), message: 'value borrowed here after move' },
      ],
    };
    // Copied from `rustc --edition 2021 b.rs` on the same text.
    const rustc = [
      'error[E0382]: borrow of moved value: `x`',
      ' --> b.rs:6:26',
      '  |',
      '2 |     let s = "வணக்கம் 🦀"; let x = String::from("a");',
      '  |                             - move occurs because `x` has type `String`, which does not implement the `Copy` trait',
      '3 |     let y = x;',
      '  |             - value moved here',
      '...',
      '6 |     println!("{} {}", s, x);',
      '  |                          ^ value borrowed here after move',
      '',
    ].join('\n');
    assert.equal(renderDiagnostic(d, 'b.rs', src), rustc);
  });
  it('summary lines', () => {
    assert.equal(summary(0, 0), 'no errors found');
    assert.equal(summary(1, 0), '1 error found');
    assert.equal(summary(3, 1), '3 errors and 1 warning found');
  });
  it('draws frames newest on top, with moved state, heap and static memory', () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const snap: Snapshot = {
      status: 'ok',
      message: 'after line 3 of `foo`',
      function: 'foo',
      line: 3,
      visit: 1,
      visits: 1,
      step: 4,
      steps: 9,
      frames: [
        {
          id: 'frame:1',
          function: 'main',
          slots: [
            {
              id: 'slot:frame:1:s',
              name: 's',
              type: 'String',
              size: 24,
              align: 8,
              state: 'moved',
              movedTo: { to: 't', line: 2, column: 13 },
              mutable: false,
              declRange: range,
              value: {
                kind: 'aggregate',
                text: '"hello"',
                fields: [
                  { name: 'ptr', value: { kind: 'pointer', text: '→ heap', target: { id: 'heap:1', region: 'heap' } } },
                  { name: 'len', value: { kind: 'scalar', text: '5' } },
                  { name: 'cap', value: { kind: 'scalar', text: '5' } },
                ],
              },
            },
          ],
        },
        {
          id: 'frame:2',
          function: 'foo',
          slots: [
            {
              id: 'slot:frame:2:y',
              name: 'y',
              type: 'i32',
              size: 4,
              align: 4,
              state: 'init',
              mutable: true,
              declRange: range,
              value: { kind: 'scalar', text: '5' },
            },
          ],
        },
      ],
      heap: [
        {
          id: 'heap:1',
          type: '[u8]',
          size: 5,
          capacity: 5,
          len: 5,
          elementCapacity: 5,
          contents: [],
          text: 'hello',
          owner: 'slot:frame:1:t',
          ownerPlace: 't',
          kind: 'String',
          state: 'live',
        },
      ],
      statics: [{ id: 'static:0', kind: 'literal', name: '"hello"', type: 'str', size: 5, value: { kind: 'scalar', text: '"hello"' } }],
      events: [{ kind: 'write', text: 'wrote 5 to `y`', ids: ['slot:frame:2:y'] }],
    };
    const text = renderSnapshotText(snap);
    assert.ok(text.startsWith('after line 3 of `foo`\n'));
    assert.ok(text.indexOf('foo (executing)') < text.indexOf('┌ main ─'), 'newest frame first');
    assert.doesNotMatch(text, /frame:\d|heap:\d|static:\d/, 'Rust names, not ids');
    assert.match(text, /│ mut y +│ i32 +│ 4 +│ 5 +│/);
    assert.match(text, /│ s +│ String +│ 24 +│ "hello" \{ ptr: → heap, len: 5, cap: 5 \} \(moved to t at 2:13\) │/);
    assert.match(text, /│ String data of t +│ 5 \/ 5 \(len 5, cap 5\) +│ "hello" +│ live +│/, 'the block named by its owner');
    assert.match(text, /Static memory/);
    assert.match(text, /write: wrote 5 to `y`/);
    // every line of a box has the same display width
    const boxes = text.split('\n').reduce<string[][]>((acc, l) => {
      if (l.startsWith('┌')) acc.push([]);
      if (/^[┌│├└]/.test(l)) acc[acc.length - 1].push(l);
      return acc;
    }, []);
    assert.equal(boxes.length, 4, 'two frames, heap, static memory');
    for (const box of boxes) assert.equal(new Set(box.map((l) => [...l].length)).size, 1, box.join('\n'));
  });
});

describe('Cargo packages', () => {
  const shop = listCrateFixtures().find((d) => path.basename(d) === 'shop')!;

  it('check DIR and check Cargo.toml: every crate file, each error under its file path, as cargo prints them', () => {
    for (const arg of [shop, path.join(shop, 'Cargo.toml')]) {
      const r = runCli(['check', arg]);
      assert.equal(r.code, 1, r.stderr);
      const at = [...r.stdout.matchAll(/--> (.*)$/gm)].map((m) => m[1].replace(/^.*?(src\/)/, '$1'));
      assert.deepEqual(at, ['src/main.rs:14:20', 'src/main.rs:19:5', 'src/main.rs:32:20', 'src/report.rs:20:31']);
      assert.match(r.stdout, /error: 4 errors found\n$/);
    }
    const json = JSON.parse(runCli(['check', '--format', 'json', shop]).stdout) as { file: string; line: number; code: string }[];
    assert.deepEqual(
      json.map((d) => `${path.basename(d.file)}:${d.line}:${d.code}`),
      ['main.rs:14:E0382', 'main.rs:19:E0502', 'main.rs:32:E0382', 'report.rs:20:E0382'],
    );
  });

  it('a FILE of a crate is analysed with its crate: its own errors only; mir prints its own bodies', () => {
    const r = runCli(['check', path.join(shop, 'src', 'report.rs')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /report\.rs:20:31/);
    assert.doesNotMatch(r.stdout, /main\.rs/);
    const m = runCli(['mir', path.join(shop, 'src', 'util.rs')]);
    assert.equal(m.code, 0, m.stderr);
    assert.deepEqual(
      [...m.stdout.matchAll(/^fn ([\w:]+)\(/gm)].map((x) => x[1]),
      ['util::take', 'util::show_tag', 'util::keep_last'],
    );
  });

  it('snapshot of main.rs after the call into util.rs: the moved String was freed by `take`', () => {
    const r = runCli(['snapshot', `${path.join(shop, 'src', 'main.rs')}:13:5`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const snap = JSON.parse(r.stdout) as Snapshot;
    assert.equal(snap.frames.at(-1)?.function, 'main');
    assert.deepEqual(
      snap.heap.filter((b) => b.state === 'live'),
      [],
    );
    assert.ok(snap.frames.flatMap((f) => f.slots).find((s) => s.name === 's')?.movedTo);
  });
});
