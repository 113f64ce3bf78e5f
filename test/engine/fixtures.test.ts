/**
 * Runs the engine over every fixture in `test/fixtures/` and compares what it says with the
 * fixture's annotations (syntax: `test/fixtures/README.md`; rustc agreement is checked
 * separately by `npm run oracle`).
 *
 * - Syntax errors (no code): only in fixtures with `//@ rustc: parse-error`, where there must
 *   be at least one, and the multiset of (1-based line, message) must equal the `//~ SYNTAX`
 *   annotations (each annotated message a substring of the engine's).
 * - Diagnostics: the multiset of (code, 1-based line) the engine reports must equal the
 *   `//~ ERROR` and `//~ ENGINE` annotations whose code is in `IMPLEMENTED_CODES`; annotated
 *   messages must be substrings of the engine's message; `//~ LABEL` annotations must appear
 *   among the `related` locations of an engine error with that code.
 * - Hovers: every key of a `^ hover:` expectation must match the `HoverInfo` field
 *   (`state` as a substring, `type` ignoring whitespace, numbers exactly, `null` = unknown).
 *
 * One test per fixture, named by its path, so a failure says which program and which line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as engine from '../../server/src/engine/engine';
import { IMPLEMENTED_CODES } from '../../server/src/engine/engine';
import { isSyntaxError } from '../../server/src/base/diagnostic';
import { hoverAt, type HoverInfo } from '../../server/src/ide/hover';
import {
  parseAnnotations,
  matchErrors,
  missingLabels,
  sameType,
  HOVER_KEYS,
  type FoundError,
  type HoverExpectation,
} from '../support/annotations';
import { fixturesDir, listFixtures } from '../support/fixtures';

const dir = fixturesDir();
const fixtures = listFixtures(dir);

test('the fixture corpus is there and every annotation is well-formed', () => {
  assert.ok(fixtures.length >= 70, `expected at least 70 fixtures in ${dir}, found ${fixtures.length}`);
  const bad: string[] = [];
  for (const rel of fixtures) {
    for (const p of parseAnnotations(fs.readFileSync(path.join(dir, rel), 'utf8')).problems) bad.push(`${rel}:${p.line}: ${p.message}`);
  }
  assert.deepEqual(bad, []);
});

for (const rel of fixtures) {
  test(rel, () => {
    const text = fs.readFileSync(path.join(dir, rel), 'utf8');
    const ann = parseAnnotations(text);
    const problems: string[] = ann.problems.map((p) => `line ${p.line}: bad annotation: ${p.message}`);

    const analysis = engine.analyze(text, { edition: ann.directives.edition });

    // --- diagnostics
    const found: FoundError[] = [];
    const syntaxFound: FoundError[] = [];
    for (const d of analysis.diagnostics) {
      if (d.severity !== 'error') continue;
      if (isSyntaxError(d)) {
        syntaxFound.push({ code: d.code, line: d.range.start.line + 1, message: d.message });
        continue;
      }
      const line = d.range.start.line + 1;
      if (!IMPLEMENTED_CODES.includes(d.code)) {
        problems.push(`line ${line}: engine reports ${d.code} "${d.message}", a code not in IMPLEMENTED_CODES`);
        continue;
      }
      found.push({
        code: d.code,
        line,
        message: d.message,
        labels: d.related.map((r) => ({ line: r.range.start.line + 1, message: r.message })),
      });
    }
    if (!ann.directives.parseError) {
      for (const u of syntaxFound) problems.push(`line ${u.line}: engine reports a syntax error "${u.message}" in a file rustc parses`);
    } else {
      if (!syntaxFound.length) problems.push('`//@ rustc: parse-error` but the engine reports no syntax error');
      const want = ann.syntax.map((x) => ({ ...x, code: syntaxFound[0]?.code ?? '' }));
      const m = matchErrors(want, syntaxFound);
      for (const x of [...m.missing, ...m.messageMismatch.map((mm) => mm.expected)])
        problems.push(`line ${x.line}: expected a syntax error "${x.message}", engine reports ${describeAt(syntaxFound, x.line)}`);
      for (const u of m.unexpected)
        problems.push(`line ${u.line}: engine reports the syntax error "${u.message}", not annotated (//~ SYNTAX)`);
    }
    const expected = ann.errors.filter((e) => IMPLEMENTED_CODES.includes(e.code));
    const { missing, unexpected, messageMismatch } = matchErrors(expected, found);
    for (const m of missing) {
      problems.push(`line ${m.line}: expected ${m.code}${m.message ? ` "${m.message}"` : ''} (${m.kind}), engine reports nothing there`);
    }
    for (const { expected: e, found: f } of messageMismatch) {
      problems.push(`line ${e.line}: ${e.code} message "${f.message}" does not contain "${e.message}"`);
    }
    for (const u of unexpected) problems.push(`line ${u.line}: engine reports ${u.code} "${u.message}", not annotated`);
    const labels = ann.labels.filter((l) => IMPLEMENTED_CODES.includes(l.code));
    for (const l of missingLabels(labels, found)) {
      problems.push(
        `line ${l.line}: expected related label ${l.code} "${l.message}", the engine's ${l.code} errors have no such related location`,
      );
    }

    // --- hovers
    for (const h of ann.hovers) {
      const where = `line ${h.line + 1} col ${h.character + 1} \`${h.word}\``;
      const info = hoverAt(analysis, { line: h.line, character: h.character });
      if (!info) {
        problems.push(`${where}: no hover (expected ${describe(h)})`);
        continue;
      }
      for (const mismatch of compareHover(h, info)) problems.push(`${where}: ${mismatch}`);
    }

    if (problems.length) {
      const context = analysis.failures.length
        ? `\n  engine failures: ${analysis.failures.map((f) => `${f.function}: ${f.message}`).join('; ')}`
        : '';
      assert.fail(`${rel}:\n  ${problems.join('\n  ')}${context}`);
    }
  });
}

/** The engine's syntax errors on a line, for failure messages. */
function describeAt(found: FoundError[], line: number): string {
  const here = found.filter((f) => f.line === line).map((f) => `"${f.message}"`);
  return here.length ? here.join(', ') : 'nothing there';
}

/** The expected keys as `k=v` text, for failure messages. */
function describe(h: HoverExpectation): string {
  return Object.entries(h.expect)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
}

/** What differs between an expectation and the engine's hover, one line per key. */
function compareHover(h: HoverExpectation, info: HoverInfo): string[] {
  const out: string[] = [];
  for (const key of HOVER_KEYS) {
    if (!(key in h.expect)) continue;
    const want = h.expect[key];
    const got = info[key];
    let ok: boolean;
    if (key === 'state') ok = typeof got === 'string' && got.includes(String(want));
    else if (key === 'type') ok = typeof got === 'string' && sameType(got, String(want));
    else if (want === null) ok = got === null || got === undefined;
    else ok = got === want;
    if (!ok)
      out.push(`${key}: expected ${JSON.stringify(want)}${key === 'state' ? ' (substring)' : ''}, engine says ${JSON.stringify(got)}`);
  }
  return out;
}
