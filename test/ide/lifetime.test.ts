/**
 * Lifetime highlights (server/src/ide/lifetime.ts) on the fixtures of `test/fixtures/lifetimes/`,
 * annotated rust-analyzer style under the line they are about:
 *
 *     let first = &v[0];
 * //              ^^^^^ v shared: borrowed (shared) by `first` from 7:17 to 9:26
 *
 * says that the lifetime of the binding `v` (asked at its declaration) has a `shared` segment
 * drawn exactly over the carets on the line above, whose legend contains the text after `:`.
 * For each binding annotated, its segments of kinds decl/shared/mut/move/assign/drop must be
 * exactly the annotated ones (`live` is checked when annotated). And every loan of the binding
 * that a binding holds, in the borrow checker's own loans, starts a segment of its kind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { lifetimeAt, lifetimeHoverLines, permissionWords } from '../../server/src/ide/lifetime';
import { fixturesDir } from '../support/fixtures';

const DIR = path.join(fixturesDir(), 'lifetimes');
const ANNOTATION = /^(\s*\/\/\s*)(\^+) (\w+) (decl|live|shared|mut|move|assign|drop)(?:: (.*))?$/;
const EXACT = new Set(['decl', 'shared', 'mut', 'move', 'assign', 'drop']);

interface Expect {
  name: string;
  kind: string;
  line: number;
  from: number;
  to: number;
  message?: string;
}

for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.rs'))) {
  test(`lifetimes/${file}`, () => {
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    const lines = text.split('\n');
    const expects: Expect[] = [];
    lines.forEach((l, i) => {
      const m = ANNOTATION.exec(l);
      if (!m) return;
      // The line above, skipping other annotation lines.
      let target = i - 1;
      while (target >= 0 && ANNOTATION.test(lines[target])) target--;
      const from = m[1].length;
      expects.push({ name: m[3], kind: m[4], line: target, from, to: from + m[2].length, ...(m[5] ? { message: m[5] } : {}) });
    });
    assert.ok(expects.length > 0, 'no annotations');
    const a = analyze(text);
    assert.deepEqual(a.diagnostics, [], 'lifetime fixtures compile');
    for (const name of new Set(expects.map((e) => e.name))) {
      const declLine = lines.findIndex((l) => new RegExp(`\\blet (mut )?${name}\\b`).test(l));
      const at = { line: declLine, character: lines[declLine].search(new RegExp(`\\b${name}\\b`)) };
      const lt = lifetimeAt(a, at);
      assert.ok(lt, `no lifetime for \`${name}\``);
      const drawn = lt.segments.flatMap((s) => s.lines.map((r) => ({ s, r })));
      const mine = expects.filter((e) => e.name === name);
      for (const e of mine) {
        const hit = drawn.find(
          ({ s, r }) =>
            s.kind === e.kind &&
            r.start.line === e.line &&
            r.end.line === e.line &&
            r.start.character === e.from &&
            r.end.character === e.to,
        );
        assert.ok(
          hit,
          `\`${name}\`: no ${e.kind} segment at ${e.line + 1}:${e.from + 1}-${e.to + 1}; drawn: ${drawn.map(({ s, r }) => `${s.kind}@${r.start.line + 1}:${r.start.character + 1}-${r.end.character + 1}`).join(' ')}`,
        );
        if (e.message) assert.ok(hit.s.message.includes(e.message), `\`${name}\` ${e.kind}: "${hit.s.message}" lacks "${e.message}"`);
      }
      for (const { s, r } of drawn) {
        if (!EXACT.has(s.kind)) continue;
        assert.ok(
          mine.some((e) => e.kind === s.kind && e.line === r.start.line && e.from === r.start.character && e.to === r.end.character),
          `\`${name}\`: ${s.kind} segment at ${r.start.line + 1}:${r.start.character + 1}-${r.end.character + 1} ("${s.message}") is not annotated`,
        );
      }
      // The checker's own loans of the binding, held by a binding, each start a segment of their kind.
      for (const body of a.mir.bodies.values()) {
        const bc = a.borrowcks.get(body.name)!;
        const local = body.locals.findIndex((l) => l.name === name && (l.kind === 'user' || l.kind === 'arg'));
        if (local < 0) continue;
        for (const l of bc.allLoans().filter((x) => x.loan.place.local === local && x.holders.length)) {
          const kind = l.loan.kind === 'shared' ? 'shared' : 'mut';
          assert.ok(
            lt.segments.some(
              (s) =>
                s.kind === kind && s.range.start.line === l.loan.span.start.line && s.range.start.character === l.loan.span.start.character,
            ),
            `the loan of \`${name}\` at ${l.loan.span.start.line + 1}:${l.loan.span.start.character + 1} has no segment`,
          );
        }
      }
    }
  });
}

test('the hover names the permissions held and those not held: `R-O` (read, own; not write) for a binding without mut', () => {
  const src = ['fn main() {', '    let x = String::from("a");', '    let mut y = String::from("b");', '    y.push_str(&x);', '}', ''].join(
    '\n',
  );
  const a = analyze(src);
  const x = lifetimeHoverLines(a, { line: 3, character: 16 }).find((l) => l.includes('**permissions**'));
  const y = lifetimeHoverLines(a, { line: 3, character: 4 }).find((l) => l.includes('**permissions**'));
  assert.match(x ?? '', /`R-O` \(read, own; not write\)/);
  assert.match(y ?? '', /`RWO` \(read, write, own\)/);
  assert.equal(permissionWords({ read: false, write: false, own: false, lost: [] }), 'none');
});
