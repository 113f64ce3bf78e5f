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

/** Absolute path of `test/fixtures`. */
export function fixturesDir(root: string = repoRoot()): string {
  return path.join(root, 'test', 'fixtures');
}

/**
 * Every fixture as a path relative to `test/fixtures` with `/` separators, sorted. `robustness/`
 * is not listed: its programs are bad input for the engine's bounds (some do not compile), run by
 * test/engine/robustness.test.ts, not compared with rustc.
 */
export function listFixtures(dir: string = fixturesDir()): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory() && r === 'robustness') continue;
      if (ent.isDirectory()) walk(r);
      else if (ent.isFile() && ent.name.endsWith('.rs')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}
