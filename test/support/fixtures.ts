/**
 * Finding the fixture corpus (`test/fixtures/**\/*.rs`) from compiled test code, which runs from
 * `out/test/...`, so paths are resolved from the repository root, not from `__dirname`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest ancestor of `from` holding a package.json named `rust-memory`. */
export function repoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (let i = 0; i < 64; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'rust-memory') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`rust-memory repository root not found above ${from}`);
}

/**
 * A path under `../shared/` beside the repository (`sharedPath('corpus', 'rust-by-example')`,
 * `sharedPath('robustness')`): the development corpora and the robustness reproductions, which
 * the team's checkout has and a user's clone does not (callers skip with a message when absent).
 */
export function sharedPath(...parts: string[]): string {
  return path.resolve(repoRoot(), '..', 'shared', ...parts);
}

/** One program of the Rust by Example corpus, as its `manifest.json` lists it. */
export interface RbeProgram {
  /** Absolute path of the `.rs` file (its real output is the `.stdout` beside it). */
  file: string;
  /** The edition it is compiled in (`2021` when the manifest says none). */
  edition: '2015' | '2018' | '2021' | '2024';
  /** The exit code of the real program, when not 0. */
  exit?: number;
}

/** The Rust by Example programs of `dir` (default `../shared/corpus/rust-by-example`) from its manifest; undefined when it has none. */
export function rbePrograms(dir: string = sharedPath('corpus', 'rust-by-example')): RbeProgram[] | undefined {
  const manifest = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifest)) return undefined;
  const entries = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { file: string; edition?: RbeProgram['edition']; exit?: number }[];
  return entries.map((e) => ({
    file: path.join(dir, e.file),
    edition: e.edition ?? '2021',
    ...(e.exit !== undefined ? { exit: e.exit } : {}),
  }));
}

/** Absolute path of `test/fixtures`. */
export function fixturesDir(root: string = repoRoot()): string {
  return path.join(root, 'test', 'fixtures');
}

/** Where the multi-file Cargo crate fixtures are (`test/fixtures/crates/NAME/Cargo.toml`), relative to `test/fixtures`. */
export const CRATES_DIR = 'crates';

/** Minimised fuzz findings (`test/fixtures/robustness/`), relative to `test/fixtures`. */
export const ROBUSTNESS_DIR = 'robustness';

/**
 * Every single-file fixture as a path relative to `test/fixtures` with `/` separators, sorted.
 * Not listed: the crates' files, which are not whole programs (`listCrateFixtures`), and
 * `robustness/`, bad input for the engine's bounds (some do not compile), run by
 * test/engine/robustness.test.ts and not compared with rustc.
 */
export function listFixtures(dir: string = fixturesDir()): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory() && (r === CRATES_DIR || r === ROBUSTNESS_DIR)) continue;
      if (ent.isDirectory()) walk(r);
      else if (ent.isFile() && ent.name.endsWith('.rs')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** The crate fixtures: absolute paths of the directories holding a Cargo.toml under `test/fixtures/crates/`, sorted. */
export function listCrateFixtures(dir: string = fixturesDir()): string[] {
  const root = path.join(dir, CRATES_DIR);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, 'Cargo.toml')))
    .map((e) => path.join(root, e.name))
    .sort();
}

/** The `.rs` files of a crate fixture, relative to its directory with `/` separators, sorted. */
export function crateSources(crateDir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const ent of fs.readdirSync(path.join(crateDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory() && r !== 'target') walk(r);
      else if (ent.isFile() && ent.name.endsWith('.rs')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Runs `check` on the text of every single-file fixture (`listFixtures`): how many were read, and
 * for each fixture `check` found fault with, `rel: findings` (its findings joined by `; `).
 */
export function fixtureFindings(check: (src: string) => string[], dir: string = fixturesDir()): { files: number; bad: string[] } {
  const bad: string[] = [];
  let files = 0;
  for (const rel of listFixtures(dir)) {
    const d = check(fs.readFileSync(path.join(dir, rel), 'utf8'));
    files++;
    if (d.length) bad.push(`${rel}: ${d.join('; ')}`);
  }
  return { files, bad };
}
