/**
 * Golden MIR: the MIR the engine builds for a representative set of fixtures, printed by
 * `mir/pretty.ts` (what `rust-memory mir FILE` prints), kept in `test/mir/golden/`. MIR building
 * changes show here as diffs; bless intended ones with `npm run bless` and review them.
 */
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { prettyProgram } from '../../server/src/mir/pretty';
import { fixturesDir, repoRoot } from '../support/fixtures';
import { golden, stale } from '../support/golden';

/** Moves, initialisation, borrows (shared, mutable, two-phase), matches, closures, drops, Rc, std collections, a larger program, the file's own overloaded index and deref. */
const FIXTURES = [
  'seeds/seed-000-ex1-string-move.rs',
  'seeds/seed-003-frames.rs',
  'moves/branch-if.rs',
  'moves/closure-that-moves.rs',
  'moves/method-after-move.rs',
  'init/e0381-one-branch.rs',
  'borrows/e0502-push-while-borrowed.rs',
  'borrows/e0505-move-while-borrowed.rs',
  'borrows/e0499-user-deref-mut-twice.rs',
  'clean/two-phase-borrows.rs',
  'clean/match-on-reference.rs',
  'clean/drop-and-scopes.rs',
  'clean/rc-clone.rs',
  'clean/option-result.rs',
  'programs/linked-list.rs',
];

const dir = join(repoRoot(), 'test', 'mir', 'golden');
const goldenFile = (rel: string): string => join(dir, rel.replace(/\//g, '--').replace(/\.rs$/, '.mir'));

for (const rel of FIXTURES) {
  test(`MIR of ${rel}`, () => {
    const src = readFileSync(join(fixturesDir(), rel), 'utf8');
    golden(
      goldenFile(rel),
      `// rust-memory mir test/fixtures/${rel} (regenerate: npm run bless)\n\n${prettyProgram(analyze(src).mir.bodies.values())}`,
    );
  });
}

test('no golden MIR without its fixture', () => {
  const wanted = new Set(FIXTURES.map(goldenFile));
  for (const f of readdirSync(dir)) if (!wanted.has(join(dir, f))) stale(join(dir, f));
});
