// A function too large to check and simulate live (`MAX_LIVE_BODY_SIZE` MIR statements, far above
// any function of the real code at hand) is lowered, typed and shown without its borrow check and
// simulation: no diagnostic of its own, however wrong it is (precision first), the other functions
// of the file still checked, and hovers and the simulation's stop say why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, simulation } from '../../server/src/engine/engine';
import { hoverAt } from '../../server/src/ide/hover';
import { bodySize, MAX_LIVE_BODY_SIZE } from '../../server/src/mir/visit';

/** `fn name` whose body moves a String twice (E0382) and then has `lines` more statements. */
function moveTwice(name: string, lines: number): string {
  const filler = Array.from({ length: lines }, (_, i) => `    let _v${i} = Some(Some(${i}));`).join('\n');
  return `fn ${name}() {\n    let s = String::from("x");\n    let t = s;\n    let u = s;\n${filler}\n    drop(t);\n    drop(u);\n}\n`;
}

const LARGE_LINES = 4_000;

test('a function past the live limit is not borrow-checked; the others are, and hover says why', () => {
  const src = `${moveTwice('small', 1)}${moveTwice('large', LARGE_LINES)}fn main() {\n    small();\n}\n`;
  const a = analyze(src);
  const large = a.mir.bodies.get('large')!;
  assert.ok(bodySize(large) > MAX_LIVE_BODY_SIZE, `large has ${bodySize(large)} MIR statements`);
  assert.ok(bodySize(a.mir.bodies.get('small')!) < MAX_LIVE_BODY_SIZE);
  // The same error in both: reported in `small` only.
  const e0382 = a.diagnostics.filter((d) => d.code === 'E0382').map((d) => d.range.start.line);
  assert.deepEqual(e0382, [3], JSON.stringify(a.diagnostics.map((d) => [d.code, d.range.start.line])));
  // Hover on `s` in `large` (the second `let s`).
  const line = src.split('\n').findIndex((l, i) => i > 1 && l.includes('let s = String'));
  const h = hoverAt(a, { line, character: 8 });
  assert.ok(h, 'a hover');
  assert.match(h.markdown, /`large` is too large to check and simulate live \([\d,]+ MIR statements; the limit is 10,000\)/);
  // `small` is simulated as usual.
  assert.equal(simulation(a).stop.reason, 'end');
});

test('the simulation does not enter a function past the live limit, and says so', () => {
  const src = `${moveTwice('large', LARGE_LINES).replace('    let u = s;\n', '')}fn main() {\n    let n = 1;\n    large();\n    println!("{}", n);\n}\n`;
  const run = simulation(analyze(src));
  assert.equal(run.stop.reason, 'unsupported');
  assert.match(run.stop.message, /the simulation stopped at a call: `large` is too large to check and simulate live/);
  // As the entry, it is not simulated at all.
  const alone = simulation(analyze(moveTwice('main', LARGE_LINES).replace('    let u = s;\n', '')));
  assert.equal(alone.stop.reason, 'unsupported');
  assert.equal(alone.stop.step, -1);
  assert.match(alone.stop.message, /^not simulated: `main` is too large/);
});
