/**
 * The seeds' examples the memory panel is checked on, as fixtures plus a cursor, and how to get
 * the real engine's snapshot for them (test/render.test.ts, test/webview.browser.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import type { Snapshot } from '../../shared/protocol';
import { fixturesDir } from './fixtures';

export interface PanelExample {
  name: string;
  /** Path under test/fixtures. */
  fixture: string;
  /** The cursor goes at the end of the first non-comment line containing this text. */
  after: string;
}

export const ENGINE_EXAMPLES: PanelExample[] = [
  { name: 'string-move', fixture: 'seeds/seed-000-ex1-string-move.rs', after: 'let y = x;' },
  { name: 'foo-from-main', fixture: 'seeds/seed-003-frames.rs', after: 'let z = 100;' },
  { name: 'box-vec-str', fixture: 'clean/panel-box-vec-str.rs', after: 'let r = &on_stack;' },
  { name: 'xss', fixture: 'clean/panel-xss-literals.rs', after: 'let both =' },
];

export function example(name: string): PanelExample {
  const e = ENGINE_EXAMPLES.find((x) => x.name === name);
  if (!e) throw new Error(`no panel example ${name}`);
  return e;
}

/**
 * The engine's snapshot at an example's cursor (0-based line, UTF-16 column at the line's end),
 * or why there is none (`status` other than `ok`) so tests can skip saying so.
 */
export function engineSnapshot(ex: PanelExample): { snapshot?: Snapshot; why?: string } {
  const text = fs.readFileSync(path.join(fixturesDir(), ex.fixture), 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(ex.after) && !l.trimStart().startsWith('//'));
  if (line < 0) throw new Error(`${ex.fixture}: no line contains ${ex.after}`);
  const s = snapshotAt(analyze(text), { line, character: lines[line].length });
  if (s.status !== 'ok') return { why: `engine gives no snapshot yet for ${ex.fixture}:${line + 1} (status ${s.status}: ${s.message})` };
  return { snapshot: s };
}

/**
 * The programs issue 11 is about (a Vec of Strings, a Box linked list, calls, `dyn Trait` and
 * cells, an Rc cycle, the E0502 dangling pointer), with the lines the panel is looked at on:
 * the cursor goes at the end of the first non-comment line containing each text.
 */
export interface PanelProgram {
  name: string;
  fixture: string;
  cursors: string[];
}

export const PANEL_PROGRAMS: PanelProgram[] = [
  { name: 'names-vec', fixture: 'clean/panel-names-vec.rs', cursors: ['names.push(name);', 'let first', 'println!("{} names"'] },
  { name: 'linked-list', fixture: 'programs/linked-list.rs', cursors: ['stack.push(v * 10);', 'println!("peek', 'let items'] },
  { name: 'functions', fixture: 'clean/panel-functions.rs', cursors: ['println!("{}", text);', 'let doubled', 'println!("{} {}", n, d);'] },
  { name: 'dyn-cells', fixture: 'clean/panel-dyn-cells.rs', cursors: ['let borrowed', 'println!("{}", Rc::strong_count'] },
  { name: 'rc-cycle', fixture: 'seeds/seed-002-rc-cycle.rs', cursors: ['a.borrow_mut().next', 'println!("b: value'] },
  { name: 'e0502', fixture: 'borrows/e0502-dangling-push.rs', cursors: ['v.push(2);', 'println!("{first}");'] },
];

/** A program's source. */
export function programText(p: PanelProgram): string {
  return fs.readFileSync(path.join(fixturesDir(), p.fixture), 'utf8');
}

/** The engine's snapshots of a program at each of its cursors (status `ok` or the test fails). */
export function programSnapshots(p: PanelProgram): { cursor: string; line: number; snapshot: Snapshot }[] {
  const text = programText(p);
  const lines = text.split('\n');
  const a = analyze(text);
  return p.cursors.map((cursor) => {
    const line = lines.findIndex((l) => l.includes(cursor) && !l.trimStart().startsWith('//'));
    if (line < 0) throw new Error(`${p.fixture}: no line contains ${cursor}`);
    return { cursor, line, snapshot: snapshotAt(a, { line, character: lines[line].length }) };
  });
}

/** Every step of a program's trace (the slider's stops), as the engine snapshots them. */
export function programSteps(p: PanelProgram): Snapshot[] {
  const text = programText(p);
  const a = analyze(text);
  const lines = text.split('\n');
  const mainLine = lines.findIndex((l) => /^fn main\(/.test(l));
  const at = { line: mainLine + 1, character: lines[mainLine + 1].length };
  const first = snapshotAt(a, at);
  const out: Snapshot[] = [];
  for (let k = 0; k < first.steps; k++) out.push(snapshotAt(a, at, 1, 0, { step: k }));
  return out;
}
