/**
 * Parser for the annotations in `test/fixtures/**\/*.rs` (syntax documented in
 * `test/fixtures/README.md`). Shared by the fixture harness (`test/fixtures.test.ts`, which runs
 * our engine) and the rustc oracle (`test/tools/oracle.ts`, which runs rustc).
 *
 * The error syntax follows rustc's UI tests (`//~ ERROR`, `//~^ ERROR`, `//~| ERROR`), with an
 * error code always required; hovers use a caret line below the code (rust-analyzer/pyright
 * style cursor markers).
 *
 * Lines are 1-based (like rustc); hover columns are 0-based UTF-16 code units (like LSP).
 * Parsing never throws: malformed annotations are returned in `problems` so that a typo in a
 * fixture fails loudly instead of silently checking nothing.
 */

// --- types

/** Who can confirm an error expectation: rustc and our engine (`ERROR`), or only our engine (`ENGINE`). */
export type ErrorKind = 'ERROR' | 'ENGINE';

/** An expected error whose primary span starts on `line`. */
export interface ErrorExpectation {
  kind: ErrorKind;
  /** rustc error code, `E0382`. */
  code: string;
  /** 1-based line the primary span starts on. */
  line: number;
  /** Substring expected in the primary message, when given. */
  message?: string;
  /** 1-based line of the annotation comment itself (for error messages). */
  annotationLine: number;
}

/**
 * `//~ LABEL E0382 value moved here`: an error with that code has a secondary span (rustc's
 * labelled spans other than the primary one; the engine's `related`) starting on `line`
 * whose label contains `message`. Labels are checked as a subset: unannotated labels are fine.
 */
export interface LabelExpectation {
  code: string;
  /** 1-based line the secondary span starts on. */
  line: number;
  message: string;
  annotationLine: number;
}

/**
 * `//~ SYNTAX expected \`;\`, found \`println\``: a syntax error (rustc gives them no code)
 * whose primary span starts on `line`, with `message` as a substring of its message. Only in
 * fixtures with `//@ rustc: parse-error`; rustc and our engine must both report it.
 */
export interface SyntaxExpectation {
  line: number;
  message: string;
  annotationLine: number;
}

/** Keys a hover expectation may carry; each corresponds to a field of `HoverInfo` (server/src/ide/hover.ts). */
export const HOVER_KEYS = [
  'name',
  'type',
  'size',
  'align',
  'location',
  'function',
  'state',
  'target',
  'targetSize',
  'blockSize',
  'len',
  'capacity',
] as const;
export type HoverKey = (typeof HOVER_KEYS)[number];

/** Keys whose value is a number (or `null` for "the engine must say it does not know"). */
export const NUMERIC_HOVER_KEYS: readonly HoverKey[] = ['size', 'align', 'targetSize', 'blockSize', 'len', 'capacity'];

/** Expected hover at one position; only the keys present are checked. */
export interface HoverExpectation {
  /** 0-based line of the hovered code (LSP). */
  line: number;
  /** 0-based UTF-16 column of the caret (LSP). */
  character: number;
  /** The identifier under the caret, as written in the fixture (for readable failures). */
  word: string;
  expect: Partial<Record<HoverKey, string | number | null>>;
  /** 1-based line of the caret comment. */
  annotationLine: number;
}

/**
 * `//~ MEM` (or `//~^ MEM`, `//~ MEM visit=2`): a golden memory snapshot after that line, in the
 * CLI's text format, kept in `NAME.mem.txt` next to the fixture (`test/ide/mem.golden.test.ts`).
 */
export interface MemExpectation {
  /** 1-based line whose memory (after it runs) is shown. */
  line: number;
  /** Which pass over the line (loops, repeated calls), 1-based. */
  visit: number;
  annotationLine: number;
}

/** `//@ rustc: parse-error`: rustc must report a syntax error (an error without code). */
export interface Directives {
  parseError: boolean;
  /** `//@ edition: 2018`: the edition rustc and the engine check the fixture in (default 2021). */
  edition: '2015' | '2018' | '2021' | '2024';
}

export interface FixtureAnnotations {
  errors: ErrorExpectation[];
  labels: LabelExpectation[];
  syntax: SyntaxExpectation[];
  hovers: HoverExpectation[];
  directives: Directives;
  mems: MemExpectation[];
  /** Malformed annotations: `line` is 1-based. Empty for a well-formed fixture. */
  problems: { line: number; message: string }[];
}

// --- regexes

/** `//~ ERROR E0382 msg`, `//~^^ ENGINE E0499`, `//~| ERROR E0505`, `//~ LABEL E0382 msg`, `//~ SYNTAX msg`. */
const ERROR_RE = /\/\/~(\^*|\|)?\s*(ERROR|ENGINE|LABEL|SYNTAX)\b\s*(\S*)\s*(.*)$/;
/** Any `//~` at all, to report annotations that ERROR_RE does not understand. */
const ANY_ERROR_RE = /\/\/~/;
/** `//      ^ hover: key=value ...` (the caret line sits below the code line). */
const HOVER_RE = /^\s*\/\/(\s*)\^\s+hover:(.*)$/;
/** `//~ MEM`, `//~^ MEM visit=2`. */
const MEM_RE = /\/\/~(\^*)\s+MEM\b\s*(.*?)\s*$/;
/** `//@ name: value`. */
const DIRECTIVE_RE = /^\s*\/\/@\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$/;
const CODE_RE = /^E\d{4}$/;
const IDENT_CHAR_RE = /[A-Za-z0-9_]/;

// --- parse

/**
 * Parses every annotation in a fixture's text. `text` may use `\n` or `\r\n` line endings.
 */
export function parseAnnotations(text: string): FixtureAnnotations {
  const lines = text.split(/\r?\n/);
  const errors: ErrorExpectation[] = [];
  const labels: LabelExpectation[] = [];
  const syntax: SyntaxExpectation[] = [];
  const hovers: HoverExpectation[] = [];
  const problems: { line: number; message: string }[] = [];
  const directives: Directives = { parseError: false, edition: '2021' };
  const mems: MemExpectation[] = [];
  let lastErrorLine: number | undefined;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;

    const dir = DIRECTIVE_RE.exec(raw);
    if (dir) {
      const [, name, value] = dir;
      if (name === 'rustc' && value === 'parse-error') directives.parseError = true;
      else if (name === 'edition' && ['2015', '2018', '2021', '2024'].includes(value)) directives.edition = value as Directives['edition'];
      else problems.push({ line: lineNo, message: `unknown directive \`//@ ${name}: ${value}\`` });
      continue;
    }

    const hov = HOVER_RE.exec(raw);
    if (hov) {
      const parsed = parseHover(lines, i, hov[2]);
      if (typeof parsed === 'string') problems.push({ line: lineNo, message: parsed });
      else hovers.push(parsed);
      continue;
    }

    const mem = MEM_RE.exec(raw);
    if (mem) {
      const visit = /^visit=(\d+)$/.exec(mem[2]);
      if (mem[2] !== '' && !visit)
        problems.push({ line: lineNo, message: `expected \`//~ MEM\` or \`//~ MEM visit=N\`, found \`${mem[2]}\`` });
      else mems.push({ line: lineNo - mem[1].length, visit: visit ? Number(visit[1]) : 1, annotationLine: lineNo });
      continue;
    }

    const err = ERROR_RE.exec(raw);
    if (err) {
      const [, adjust = '', kind, code, message] = err;
      let target: number;
      if (adjust === '|') {
        if (lastErrorLine === undefined) {
          problems.push({ line: lineNo, message: '`//~|` with no annotation on a line above' });
          continue;
        }
        target = lastErrorLine;
      } else {
        target = lineNo - adjust.length;
      }
      if (kind === 'SYNTAX') {
        const msg = `${code} ${message}`.trim();
        if (!msg) problems.push({ line: lineNo, message: 'SYNTAX needs (part of) the message after it' });
        else if (target < 1) problems.push({ line: lineNo, message: 'annotation points above the first line' });
        else {
          syntax.push({ line: target, message: msg, annotationLine: lineNo });
          lastErrorLine = target;
        }
        continue;
      }
      if (!CODE_RE.test(code)) {
        problems.push({ line: lineNo, message: `expected an error code like E0382 after ${kind}, found \`${code}\`` });
        continue;
      }
      if (target < 1) {
        problems.push({ line: lineNo, message: 'annotation points above the first line' });
        continue;
      }
      const msg = message.trim();
      lastErrorLine = target;
      if (kind === 'LABEL') {
        if (!msg) problems.push({ line: lineNo, message: 'LABEL needs the label text after the code' });
        else labels.push({ code, line: target, message: msg, annotationLine: lineNo });
        continue;
      }
      errors.push({ kind: kind as ErrorKind, code, line: target, ...(msg ? { message: msg } : {}), annotationLine: lineNo });
      continue;
    }
    if (ANY_ERROR_RE.test(raw)) {
      problems.push({
        line: lineNo,
        message: 'malformed `//~` annotation (expected `//~ ERROR E0382`, `//~ ENGINE E0382`, `//~ LABEL E0382 text` or `//~ SYNTAX text`)',
      });
    }
  }
  if (syntax.length && !directives.parseError)
    problems.push({ line: syntax[0].annotationLine, message: '`//~ SYNTAX` needs `//@ rustc: parse-error`' });
  return { errors, labels, syntax, hovers, directives, mems, problems };
}

/** Parses the `key=value ...` list of the caret line at index `i`; a string is a problem. */
function parseHover(lines: string[], i: number, rest: string): HoverExpectation | string {
  const raw = lines[i];
  const character = raw.indexOf('^');
  // The hovered code line: the nearest line above that is not itself a caret line.
  let target = i - 1;
  while (target >= 0 && HOVER_RE.test(lines[target])) target--;
  if (target < 0) return 'caret line with no code line above it';
  const code = lines[target];
  if (character >= code.length || !IDENT_CHAR_RE.test(code[character])) {
    return `caret at column ${character + 1} is not under an identifier on line ${target + 1}`;
  }
  let start = character;
  while (start > 0 && IDENT_CHAR_RE.test(code[start - 1])) start--;
  let end = character;
  while (end < code.length && IDENT_CHAR_RE.test(code[end])) end++;
  const word = code.slice(start, end);

  const pairs = splitPairs(rest);
  if (typeof pairs === 'string') return pairs;
  if (pairs.length === 0) return 'hover expectation with no key=value pairs';
  const expect: Partial<Record<HoverKey, string | number | null>> = {};
  for (const [key, value] of pairs) {
    if (!(HOVER_KEYS as readonly string[]).includes(key)) return `unknown hover key \`${key}\` (known: ${HOVER_KEYS.join(', ')})`;
    const k = key as HoverKey;
    if (k in expect) return `hover key \`${k}\` given twice`;
    if (NUMERIC_HOVER_KEYS.includes(k)) {
      if (value === 'null') expect[k] = null;
      else if (/^\d+$/.test(value)) expect[k] = Number(value);
      else return `hover key \`${k}\` needs a whole number or null, found \`${value}\``;
    } else {
      expect[k] = value;
    }
  }
  if (expect.name !== undefined && expect.name !== word) {
    return `hover name=${expect.name} but the caret is under \`${word}\``;
  }
  if ((expect.size !== undefined || expect.align !== undefined) && expect.type === undefined) {
    return 'a hover with size or align must also give type (the oracle checks sizes per type)';
  }
  return { line: target, character, word, expect, annotationLine: i + 1 };
}

/**
 * Splits `a=1 b="two words" c=x` into pairs. A value is either `"..."` (no escapes; cannot
 * contain `"`) or a run of non-space characters.
 */
export function splitPairs(s: string): [string, string][] | string {
  const out: [string, string][] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && /\s/.test(s[i])) i++;
    if (i >= n) break;
    const eq = s.indexOf('=', i);
    if (eq < 0) return `expected key=value, found \`${s.slice(i)}\``;
    const key = s.slice(i, eq);
    if (!/^[A-Za-z]+$/.test(key)) return `bad hover key \`${key}\``;
    i = eq + 1;
    let value: string;
    if (s[i] === '"') {
      const close = s.indexOf('"', i + 1);
      if (close < 0) return `unterminated "..." value for \`${key}\``;
      value = s.slice(i + 1, close);
      i = close + 1;
      if (i < n && !/\s/.test(s[i])) return `expected a space after the closing quote of \`${key}\``;
    } else {
      const start = i;
      while (i < n && !/\s/.test(s[i])) i++;
      value = s.slice(start, i);
      if (value === '') return `empty value for \`${key}\``;
    }
    out.push([key, value]);
  }
  return out;
}

// --- comparing

/** Types compare equal when they are equal after removing all whitespace. */
export function sameType(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

/** An error found by a checker (rustc or the engine), for matching against expectations. */
export interface FoundError {
  code: string;
  /** 1-based line of the primary span. */
  line: number;
  message: string;
  /** Secondary labelled spans (1-based start line, label text). */
  labels?: { line: number; message: string }[];
}

/** The label expectations that no found error with the same code carries. */
export function missingLabels(expected: readonly LabelExpectation[], found: readonly FoundError[]): LabelExpectation[] {
  return expected.filter(
    (l) => !found.some((f) => f.code === l.code && (f.labels ?? []).some((x) => x.line === l.line && x.message.includes(l.message))),
  );
}

/**
 * Matches expectations to found errors one-to-one (a multiset comparison on (code, line);
 * an expectation with a message needs a found error on that line whose message contains it).
 * Returns what is left unmatched on both sides.
 */
export function matchErrors<E extends { code: string; line: number; message?: string }>(
  expected: readonly E[],
  found: readonly FoundError[],
): { missing: E[]; unexpected: FoundError[]; messageMismatch: { expected: E; found: FoundError }[] } {
  const left = [...found];
  const missing: E[] = [];
  const messageMismatch: { expected: E; found: FoundError }[] = [];
  // Expectations with a message first, so that a bare one does not steal their match.
  const ordered = [...expected].sort((a, b) => (a.message ? 0 : 1) - (b.message ? 0 : 1));
  const pendingMsg: E[] = [];
  for (const e of ordered) {
    const idx = left.findIndex((f) => f.code === e.code && f.line === e.line && (!e.message || f.message.includes(e.message)));
    if (idx >= 0) left.splice(idx, 1);
    else if (e.message) pendingMsg.push(e);
    else missing.push(e);
  }
  for (const e of pendingMsg) {
    const idx = left.findIndex((f) => f.code === e.code && f.line === e.line);
    if (idx >= 0) messageMismatch.push({ expected: e, found: left.splice(idx, 1)[0] });
    else missing.push(e);
  }
  return { missing, unexpected: left, messageMismatch };
}
