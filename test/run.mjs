// Runs the unit and integration tests (every out/test/**/*.test.js except the real editors':
// e2e, nvim, vscode, which have their own npm scripts). Arguments filter by path substring:
//   node test/run.mjs interp lsp
// `--bless` writes the golden files (test/mir/golden/*.mir, test/fixtures/**/*.mem.txt) instead
// of comparing them, as rustc blesses .stderr; without filters it runs only the golden tests:
//   node test/run.mjs --bless        (npm run bless)
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'out/test';
const skip = new Set(['e2e', 'nvim', 'vscode']);
const bless = process.argv.includes('--bless');
const args = process.argv.slice(2).filter((a) => a !== '--bless');
const filters = bless && args.length === 0 ? ['golden'] : args;
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!(dir === root && skip.has(name))) walk(p);
    } else if (name.endsWith('.test.js') && (filters.length === 0 || filters.some((f) => relative(root, p).includes(f)))) files.push(p);
  }
};
walk(root);
const env = bless ? { ...process.env, RUST_MEMORY_BLESS: '1' } : process.env;
// `--test-force-exit`: a test file whose tests have all finished exits even if a handle it left
// open (a killed server's pipe) would keep it alive; one such file once held CI's run for good.
const r = spawnSync(process.execPath, ['--test', '--test-force-exit', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
