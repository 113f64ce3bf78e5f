/**
 * The rustc oracle: checks that the fixtures in `test/fixtures/` say what rustc says.
 *
 *   npm run oracle                  every fixture
 *   npm run oracle -- moves/ seed   only fixtures whose path contains one of the arguments
 *   npm run oracle -- --verbose     also list every error rustc reports
 *   npm run oracle -- --no-fixes    skip 4.
 *   npm run oracle -- --memory      only 5. (filters then select its cases)
 *   npm run oracle -- --types       only 6. (filters then select its cases)
 *
 * 1. Errors: each fixture is compiled with
 *    `rustc --edition 2021 --crate-type bin --error-format=json --emit=metadata -A warnings`;
 *    the errors rustc reports (code + 1-based line of the primary span + message) must equal the
 *    fixture's `//~ ERROR` annotations (a multiset on (code, line); annotated messages are
 *    substrings of rustc's). `//~ ENGINE` annotations are not rustc's and are ignored here.
 *    An error without a code (a syntax error) is expected iff the fixture has
 *    `//@ rustc: parse-error`, and then at least one is required; each `//~ SYNTAX` annotation
 *    must be one of them (line and message substring; rustc may report more after recovering).
 * 2. Layouts: every hover expectation with `size`/`align` is checked against
 *    `std::mem::size_of::<T>()`/`align_of` for its `type`, in one generated program holding each
 *    fixture's own `use`/struct/enum/union/type/trait items in a module of its own.
 *
 * 3. Crates: each Cargo package in `test/fixtures/crates/` is checked with `cargo check` in a temp
 *    copy; its errors must be the annotations of its files and what `rust-memory check` reports
 *    (`cargoOracle.ts`).
 *
 * 4. Quick fixes: every fix the engine offers on a fixture is applied alone, and rustc must no
 *    longer report its error nor any new one (`fixes.ts`).
 *
 * 5. Memory claims: for each binding named by a `// probe:` line of `test/claims/*.rs`, the
 *    hover's size, location, pointee location, pointee size, len, capacity and heap block bytes
 *    against a generated program that prints them (`memoryOracle.ts`); disagreements fail.
 *
 * 6. Types: the hover's type of every binding of the programs rustc accepts against
 *    `std::any::type_name_of_val` in the compiled program (`typeOracle.ts`); disagreements fail.
 *
 * At most 2 rustc processes run at once (the machine has 2 shared cores). Exit status 0 when
 * everything agrees, 1 otherwise, 2 when rustc is missing. rustc is an oracle for our tests
 * only; the extension never needs it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAnnotations, matchErrors, missingLabels, type FoundError, type FixtureAnnotations } from '../support/annotations';
import { fixturesDir, listFixtures } from '../support/fixtures';
import { checkArgs, MAX_PARALLEL, parseRustcErrors, pool, run, type RustcError } from './rustc';
import { checkCrateFixtures } from './cargoOracle';
import { checkTypes, reportTypes } from './typeOracle';
import { checkFixes } from './fixes';
import { checkMemoryClaims, type MemoryOracleResult } from './memoryOracle';

// --- checking one fixture

interface FixtureReport {
  rel: string;
  problems: string[];
  rustcErrors: RustcError[];
  errorsChecked: number;
  annotations: FixtureAnnotations;
  text: string;
}

async function checkFixture(dir: string, rel: string, tmp: string, index: number): Promise<FixtureReport> {
  const file = path.resolve(dir, rel);
  const text = fs.readFileSync(file, 'utf8');
  const annotations = parseAnnotations(text);
  const problems: string[] = annotations.problems.map((p) => `line ${p.line}: bad annotation: ${p.message}`);
  if (!/\bfn\s+main\s*\(/.test(text)) problems.push('no `fn main()`: every fixture is a whole program');

  const out = path.join(tmp, `fixture-${index}.rmeta`);
  const res = await run('rustc', checkArgs(annotations.directives.edition, file, out, 'fixture'), tmp);
  if (res.error) {
    problems.push(`rustc failed to run: ${res.error}`);
    return { rel, problems, rustcErrors: [], errorsChecked: 0, annotations, text };
  }
  const { errors, junk } = parseRustcErrors(res.stderr, file);
  if (junk.length) problems.push(`unparsed rustc output: ${junk.slice(0, 3).join(' | ')}`);
  if (res.code !== 0 && errors.length === 0) {
    problems.push(`rustc exited with ${res.code} without reporting an error: ${res.stderr.slice(0, 500)}`);
  }

  const coded: FoundError[] = [];
  const uncoded: RustcError[] = [];
  for (const e of errors) {
    if (e.code) coded.push({ code: e.code, line: e.line, message: e.message, labels: e.labels });
    else uncoded.push(e);
  }
  const expected = annotations.errors.filter((e) => e.kind === 'ERROR');
  const { missing, unexpected, messageMismatch } = matchErrors(expected, coded);
  for (const m of missing) {
    problems.push(
      `line ${m.line}: annotated ${m.code}${m.message ? ` "${m.message}"` : ''} (at line ${m.annotationLine}), rustc does not report it there`,
    );
  }
  for (const { expected: e, found } of messageMismatch) {
    problems.push(`line ${e.line}: ${e.code} message "${found.message}" does not contain the annotated "${e.message}"`);
  }
  for (const u of unexpected) {
    problems.push(`line ${u.line}: rustc reports ${u.code} "${u.message}", not annotated`);
  }
  for (const l of missingLabels(annotations.labels, coded)) {
    problems.push(
      `line ${l.line}: annotated label ${l.code} "${l.message}" (at line ${l.annotationLine}), rustc has no such secondary label there`,
    );
  }
  if (annotations.directives.parseError) {
    if (uncoded.length === 0) problems.push('`//@ rustc: parse-error` but rustc reports no error without a code (no syntax error)');
    // Every `//~ SYNTAX` annotation is one of rustc's errors without a code (line, message
    // substring). rustc may report more: it recovers and goes on, our engine reports the first.
    const want = annotations.syntax.map((x) => ({ ...x, code: '' }));
    const m = matchErrors(
      want,
      uncoded.map((u) => ({ code: '', line: u.line, message: u.message })),
    );
    for (const x of [...m.missing, ...m.messageMismatch.map((mm) => mm.expected)])
      problems.push(`line ${x.line}: annotated syntax error "${x.message}" (at line ${x.annotationLine}), rustc does not report it there`);
  } else {
    for (const u of uncoded)
      problems.push(`line ${u.line}: rustc reports an error without a code "${u.message}" (add \`//@ rustc: parse-error\` if intended)`);
  }
  if (res.code === 0 && (expected.length > 0 || annotations.directives.parseError)) {
    problems.push('rustc compiled the file without errors, but errors are annotated');
  }
  return {
    rel,
    problems,
    rustcErrors: errors,
    errorsChecked: expected.length + annotations.labels.length + annotations.syntax.length,
    annotations,
    text,
  };
}

// --- layouts

/**
 * The top-level items of a Rust file that a type may need (`use`, struct, enum, union, type,
 * trait), with their attributes, as source text. A small scanner over comments, strings, char
 * literals and brackets; items end at a `;` or a closing `}` at depth 0.
 */
export function layoutItems(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  const n = text.length;
  const endItem = (end: number): void => {
    const src = text.slice(start, end).trim();
    start = end;
    // Drop leading comments to find the item keyword.
    const bare = src.replace(/^(\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*/g, '').trim();
    const noAttrs = bare.replace(/^(#!?\[[\s\S]*?\]\s*)*/, '');
    if (/^(pub(\([^)]*\))?\s+)?(use|struct|enum|union|type|trait)\b/.test(noAttrs)) items.push(src);
  };
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      let d = 1;
      i += 2;
      while (i < n && d > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          d++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          d--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === 'r' && /^r#*"/.test(text.slice(i, i + 10)) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
      const hashes = /^r(#*)"/.exec(text.slice(i, i + 10))![1];
      const close = text.indexOf('"' + hashes, i + 2 + hashes.length);
      i = close < 0 ? n : close + 1 + hashes.length;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === "'") {
      // char literal ('a', '\n', '\u{1F600}', '{') vs lifetime ('a)
      const m = /^'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'/u.exec(text.slice(i, i + 12));
      i += m ? m[0].length : 1;
      continue;
    }
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) {
        i++;
        // `use a::{b, c};`: the `;` after a group ends the same item.
        const semi = /^\s*;/.exec(text.slice(i, i + 64));
        if (semi) i += semi[0].length;
        endItem(i);
        continue;
      }
    } else if (c === ';' && depth === 0) {
      i++;
      endItem(i);
      continue;
    }
    i++;
  }
  return items;
}

interface LayoutCheck {
  rel: string;
  line: number;
  word: string;
  type: string;
  size?: number | null;
  align?: number | null;
}

async function checkLayouts(reports: FixtureReport[], tmp: string): Promise<{ checked: number; problems: Map<string, string[]> }> {
  const problems = new Map<string, string[]>();
  const add = (rel: string, msg: string): void => {
    problems.set(rel, [...(problems.get(rel) ?? []), msg]);
  };
  const checks: LayoutCheck[] = [];
  let program = '#![allow(dead_code, unused_imports, unused_variables, non_camel_case_types)]\n';
  const moduleLines: { rel: string; from: number; to: number }[] = [];
  const mods: string[] = [];
  reports.forEach((r, idx) => {
    const hovers = r.annotations.hovers.filter((h) => h.expect.size !== undefined || h.expect.align !== undefined);
    if (hovers.length === 0) return;
    const mod = `fx${idx}`;
    mods.push(mod);
    let body = `// ${r.rel}\nmod ${mod} {\n${layoutItems(r.text).join('\n')}\npub fn sizes() {\n`;
    for (const h of hovers) {
      const type = String(h.expect.type);
      const k = checks.length;
      checks.push({
        rel: r.rel,
        line: h.line + 1,
        word: h.word,
        type,
        size: h.expect.size as number | null | undefined,
        align: h.expect.align as number | null | undefined,
      });
      body += `    println!("{} {} {}", ${k}, std::mem::size_of::<${type}>(), std::mem::align_of::<${type}>());\n`;
    }
    body += '}\n}\n';
    const from = program.split('\n').length;
    program += body;
    moduleLines.push({ rel: r.rel, from, to: program.split('\n').length });
  });
  if (checks.length === 0) return { checked: 0, problems };
  program += `fn main() {\n${mods.map((m) => `    ${m}::sizes();\n`).join('')}}\n`;

  const src = path.join(tmp, 'layouts.rs');
  const exe = path.join(tmp, 'layouts');
  fs.writeFileSync(src, program);
  const comp = await run('rustc', ['--edition', '2021', '-A', 'warnings', '--error-format=json', '-o', exe, src], tmp);
  if (comp.code !== 0 || comp.error) {
    const { errors } = parseRustcErrors(comp.stderr, src);
    if (comp.error) add('(layout program)', `rustc failed to run: ${comp.error}`);
    for (const e of errors) {
      const owner = moduleLines.find((m) => e.line >= m.from && e.line < m.to);
      add(
        owner?.rel ?? '(layout program)',
        `layout program does not compile: ${e.rendered.trim().split('\n').slice(0, 6).join('\n      ')}`,
      );
    }
    if (errors.length === 0) add('(layout program)', `layout program does not compile:\n${comp.stderr.slice(0, 2000)}`);
    return { checked: 0, problems };
  }
  const res = await run(exe, [], tmp);
  if (res.code !== 0) {
    add('(layout program)', `layout program failed: ${res.error ?? res.stderr.slice(0, 500)}`);
    return { checked: 0, problems };
  }
  const seen = new Set<number>();
  for (const line of res.stdout.split('\n')) {
    const m = /^(\d+) (\d+) (\d+)$/.exec(line.trim());
    if (!m) continue;
    const c = checks[Number(m[1])];
    const size = Number(m[2]);
    const align = Number(m[3]);
    seen.add(Number(m[1]));
    if (c.size !== undefined && c.size !== size)
      add(c.rel, `line ${c.line}: \`${c.word}\`: size=${c.size} annotated, size_of::<${c.type}>() = ${size}`);
    if (c.align !== undefined && c.align !== align)
      add(c.rel, `line ${c.line}: \`${c.word}\`: align=${c.align} annotated, align_of::<${c.type}>() = ${align}`);
  }
  checks.forEach((c, k) => {
    if (!seen.has(k)) add(c.rel, `line ${c.line}: no layout printed for ${c.type}`);
  });
  return { checked: checks.length, problems };
}

// --- memory claims

/** Prints the memory oracle's failures and summary; returns the number of failing cases. */
function reportMemory(r: MemoryOracleResult, verbose: boolean): number {
  let failed = 0;
  for (const [rel, ps] of r.problems) {
    if (!ps.length) continue;
    failed++;
    console.log(`FAIL test/claims/${rel}`);
    for (const p of ps) console.log(`  ${p}`);
  }
  if (verbose) for (const [rel, us] of r.unknowns) for (const u of us) console.log(`unknown test/claims/${rel}: ${u}`);
  console.log(
    `oracle: memory claims: ${r.bindings} bindings, ${r.claims} claims compared with the running program: ${r.agree} bindings agree, ${r.disagree} disagree, ${r.unknown} with claims the hover does not make (--verbose lists them)`,
  );
  return failed;
}

// --- main

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const noFixes = args.includes('--no-fixes');
  const filters = args.filter((a) => !a.startsWith('--'));
  const version = await run('rustc', ['--version'], process.cwd());
  if (version.code !== 0) {
    console.error('oracle: rustc not found (install it: apt-get install rustc); the oracle needs it.');
    return 2;
  }
  if (args.includes('--types')) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-oracle-'));
    try {
      return reportTypes(await checkTypes(tmp, filters), verbose) ? 1 : 0;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (args.includes('--memory')) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-oracle-'));
    try {
      return reportMemory(await checkMemoryClaims(tmp, filters), verbose) ? 1 : 0;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  const dir = fixturesDir();
  const all = listFixtures(dir);
  const fixtures = filters.length ? all.filter((f) => filters.some((p) => f.includes(p))) : all;
  const crateFilters = filters.filter((f) => 'crates/'.startsWith(f) || f.startsWith('crates/'));
  if (fixtures.length === 0 && filters.length && crateFilters.length) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-oracle-'));
    try {
      const crates = await checkCrateFixtures(crateFilters, tmp);
      console.log(`oracle: ${crates.checked} crate fixtures: ${crates.failed ? `${crates.failed} disagree` : 'all agree'}`);
      return crates.failed ? 1 : 0;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (fixtures.length === 0) {
    console.error(`oracle: no fixtures${filters.length ? ` matching ${filters.join(' ')}` : ''} in ${dir}`);
    return 1;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-oracle-'));
  try {
    console.log(`oracle: ${version.stdout.trim()}, ${fixtures.length} fixtures, ${MAX_PARALLEL} at a time`);
    const reports = await pool(fixtures, MAX_PARALLEL, (rel, i) => checkFixture(dir, rel, tmp, i));
    const layouts = await checkLayouts(reports, tmp);
    const crates = !filters.length || crateFilters.length ? await checkCrateFixtures(crateFilters, tmp) : { checked: 0, failed: 0 };
    const fixReports = noFixes
      ? []
      : await pool(reports, MAX_PARALLEL, (r, i) => checkFixes(dir, r.rel, tmp, i, r.annotations.directives.edition, r.rustcErrors));
    const fixProblems = new Map(fixReports.filter((f) => f.problems.length).map((f) => [f.rel, f.problems]));
    const memory = filters.length ? undefined : await checkMemoryClaims(tmp);
    const types = filters.length ? undefined : await checkTypes(tmp);

    let failed = 0;
    let errorsChecked = 0;
    for (const r of reports) {
      errorsChecked += r.errorsChecked;
      const problems = [...r.problems, ...(layouts.problems.get(r.rel) ?? []), ...(fixProblems.get(r.rel) ?? [])];
      if (problems.length) {
        failed++;
        console.log(`FAIL ${r.rel}`);
        for (const p of problems) console.log(`  ${p}`);
      }
      if (verbose) {
        const label = problems.length ? '  rustc:' : `ok   ${r.rel}:`;
        console.log(
          `${label} ${r.rustcErrors.length ? r.rustcErrors.map((e) => `${e.code ?? 'syntax'}@${e.line}`).join(' ') : 'no errors'}`,
        );
      }
    }
    for (const [rel, ps] of layouts.problems) {
      if (reports.some((r) => r.rel === rel)) continue;
      failed++;
      console.log(`FAIL ${rel}`);
      for (const p of ps) console.log(`  ${p}`);
    }
    failed += crates.failed;
    if (memory) failed += reportMemory(memory, verbose);
    if (types) failed += types.disagree;
    if (types) reportTypes(types, verbose);
    const fixes = fixReports.flatMap((f) => f.checked);
    const byCode = new Map<string, { n: number; ok: number; compiles: number }>();
    for (const f of fixes) {
      const c = byCode.get(f.code) ?? { n: 0, ok: 0, compiles: 0 };
      c.n++;
      if (f.ok) c.ok++;
      if (f.compiles) c.compiles++;
      byCode.set(f.code, c);
    }
    if (!noFixes)
      console.log(
        `oracle: quick fixes: ${fixes.filter((f) => f.ok).length}/${fixes.length} accepted by rustc (${fixes.filter((f) => f.compiles).length} leave the fixture compiling): ${[
          ...byCode,
        ]
          .sort()
          .map(([c, v]) => `${c} ${v.ok}/${v.n} (${v.compiles} compile)`)
          .join(', ')}`,
      );
    const summary = `oracle: ${fixtures.length} fixtures, ${errorsChecked} errors and labels checked, ${layouts.checked} sizes checked, ${crates.checked} crates checked with cargo, ${fixes.length} quick fixes applied`;
    console.log(failed ? `${summary}: ${failed} disagree` : `${summary}: all agree`);
    return failed ? 1 : 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('oracle: crashed:', err);
      process.exitCode = 1;
    },
  );
}
