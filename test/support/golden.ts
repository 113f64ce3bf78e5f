/**
 * Golden files, blessed like rustc's `.stderr`: a test computes a text and compares it with the
 * file; `node test/run.mjs --bless golden` (or `npm run bless`) sets `RUST_MEMORY_BLESS=1` and
 * the tests write the files instead. Review the diff (`git diff`) before committing: a blessed
 * file is the new expectation.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { repoRoot } from './fixtures';

/** True when the run blesses (writes) golden files. */
export const BLESS = process.env.RUST_MEMORY_BLESS === '1';

/** Compares `actual` with the golden file `file` (absolute path), or writes it when blessing. */
export function golden(file: string, actual: string): void {
  const rel = relative(repoRoot(), file);
  if (BLESS) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `${rel} is missing: run \`npm run bless\` and review it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${rel} differs: if the change is intended, run \`npm run bless\` and review the diff`);
}

/** A golden file nothing produces any more: removed when blessing, a failure otherwise. */
export function stale(file: string): void {
  if (BLESS) rmSync(file);
  else assert.fail(`${relative(repoRoot(), file)} is not produced by any test: remove it (\`npm run bless\`)`);
}
