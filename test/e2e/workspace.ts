/**
 * The workspace the editor tests open: a Cargo-shaped folder whose `src/main.rs` is a seed
 * example as a learner would have it (the fixture minus its test annotations).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/fixtures';

/** Seed 000, example 1: `let y = x;` moves a String, then `x` is used (E0382). */
export const seedFixture = path.join(repoRoot(), 'test', 'fixtures', 'seeds', 'seed-000-ex1-string-move.rs');

/** The fixture's text without `//~ ...` error annotations and `// ^ hover:` caret lines. */
export function learnerText(fixture: string): string {
  return fs
    .readFileSync(fixture, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*\/\/\s*\^/.test(line))
    .map((line) => line.replace(/\s*\/\/~.*$/, ''))
    .join('\n');
}

/** The E0502 program (the Rust Book's dangling `first` after `push`), for the errors-on-the-picture step. */
export const e0502Fixture = path.join(repoRoot(), 'test', 'fixtures', 'borrows', 'e0502-dangling-push.rs');

/**
 * Creates a fresh temporary workspace holding `src/main.rs` (and `src/bin/<name>.rs` for each
 * of `extra`); returns its folder and main file.
 */
export function makeSeedWorkspace(fixture: string = seedFixture, extra: string[] = []): { folder: string; file: string } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-ws-'));
  fs.mkdirSync(path.join(folder, 'src', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'Cargo.toml'), '[package]\nname = "seed"\nversion = "0.1.0"\nedition = "2021"\n');
  const file = path.join(folder, 'src', 'main.rs');
  fs.writeFileSync(file, learnerText(fixture));
  for (const x of extra) fs.writeFileSync(path.join(folder, 'src', 'bin', path.basename(x)), learnerText(x));
  return { folder, file };
}
