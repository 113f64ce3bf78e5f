/**
 * Golden memory snapshots: each fixture with `//~ MEM` marks (`test/fixtures/README.md`) has a
 * `NAME.mem.txt` beside it holding the memory after each marked line, in the CLI's text format
 * (`shared/render/text.ts`, what `rust-memory snapshot FILE:LINE:COL` prints). A change in the
 * simulation, the snapshot or the renderer shows here as a diff; bless intended ones with
 * `npm run bless`.
 */
import { test } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { renderSnapshotText } from '../../shared/render/text';
import { parseAnnotations } from '../support/annotations';
import { fixturesDir, listFixtures } from '../support/fixtures';
import { golden, stale } from '../support/golden';

/** The memory after each marked line, as the CLI shows it with the cursor at the end of the line's code (before its `//~`). */
export function memText(rel: string, src: string): string {
  const marks = parseAnnotations(src).mems;
  const a = analyze(src);
  const lines = src.split(/\r?\n/);
  const out = [`rust-memory snapshot at the //~ MEM lines of ${rel} (regenerate: npm run bless)`];
  for (const m of marks) {
    const text = lines[m.line - 1];
    const code = text.includes('//~') ? text.slice(0, text.indexOf('//~')) : text;
    const character = code.trimEnd().length;
    out.push(
      '',
      `── line ${m.line}, visit ${m.visit} ──`,
      renderSnapshotText(snapshotAt(a, { line: m.line - 1, character }, m.visit, 0)).trimEnd(),
    );
  }
  return out.join('\n') + '\n';
}

const root = fixturesDir();
const marked = listFixtures(root).filter((rel) => parseAnnotations(readFileSync(join(root, rel), 'utf8')).mems.length > 0);

test('there are 10 to 20 fixtures with golden memory snapshots', (t) => {
  t.diagnostic(`fixtures with //~ MEM marks: ${marked.length}`);
  if (marked.length < 10 || marked.length > 20) throw new Error(`${marked.length} marked fixtures: keep a small representative set`);
});

for (const rel of marked) {
  test(`memory snapshots of ${rel}`, () => {
    const file = join(root, rel);
    golden(file.replace(/\.rs$/, '.mem.txt'), memText(rel, readFileSync(file, 'utf8')));
  });
}

test('no .mem.txt without its marked fixture', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.mem.txt') ? [join(dir, e.name)] : [],
    );
  for (const f of walk(root)) {
    const rs = f.replace(/\.mem\.txt$/, '.rs');
    if (!existsSync(rs) || !marked.includes(rs.slice(root.length + 1).replace(/\\/g, '/'))) stale(f);
  }
});
