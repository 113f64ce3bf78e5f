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
