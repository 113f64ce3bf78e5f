/**
 * `npm run unknown-lets`: how many `let` bindings have a type the engine does not know (their
 * hover type shows `?`), over the Rust by Example programs (../shared/corpus/rust-by-example) and
 * over the fixtures (test/fixtures). A figure for the typing gap, not a gate.
 *
 *   npm run unknown-lets                 both sets, one summary line each
 *   npm run unknown-lets -- --list       also each such binding (file:line name: type)
 *
 * A binding counts once per named `let` pattern binding of every fn of the file (closure
 * bodies included); the type is the one the hover prints (`displayTy`). The corpus missing from its
 * place beside the repository is said and skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import type { Edition } from '../../server/src/hir/hir';
import { displayTy } from '../../server/src/hir/ty';
import { repoRoot } from '../support/fixtures';

interface Tally {
  files: number;
  lets: number;
  unknown: number;
  list: string[];
}

function count(file: string, edition: Edition, t: Tally): void {
  const text = fs.readFileSync(file, 'utf8');
  let a;
  try {
    a = analyze(text, { edition });
  } catch {
    return;
  }
  t.files++;
  for (const fn of a.file.fns)
    for (const l of fn.locals) {
      // Bindings a program writes (the lowering's own temporaries have no name).
      if (l.kind !== 'let' || !l.name) continue;
      t.lets++;
      const shown = displayTy(l.ty);
      if (!shown.includes('?')) continue;
      t.unknown++;
      t.list.push(`${path.relative(repoRoot(), file)}:${l.span.start.line + 1} ${l.name}: ${shown}`);
    }
}

function rsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...rsFiles(p));
    else if (e.name.endsWith('.rs')) out.push(p);
  }
  return out.sort();
}

function report(name: string, t: Tally, list: boolean): void {
  if (list) for (const l of t.list) console.log(`  ${l}`);
  console.log(`${name}: ${t.files} files, ${t.lets} let bindings, ${t.unknown} with \`?\` in their type`);
}

function main(): void {
  const list = process.argv.includes('--list');
  const corpus = path.resolve(repoRoot(), '..', 'shared', 'corpus', 'rust-by-example');
  const manifestPath = path.join(corpus, 'manifest.json');
  if (fs.existsSync(manifestPath)) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { file: string; edition?: string }[];
    const t: Tally = { files: 0, lets: 0, unknown: 0, list: [] };
    for (const e of manifest) count(path.join(corpus, e.file), (e.edition ?? '2021') as Edition, t);
    report('rust-by-example', t, list);
  } else console.log(`unknown-lets: the corpus is not here (${manifestPath}); skipped.`);
  const t: Tally = { files: 0, lets: 0, unknown: 0, list: [] };
  for (const f of rsFiles(path.join(repoRoot(), 'test', 'fixtures'))) count(f, '2021', t);
  report('fixtures', t, list);
}

main();
