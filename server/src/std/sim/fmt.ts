/**
 * The formatting and assertion macros (`fmt.ts`): `println!` and friends print through the
 * host, `format!` builds a String with `Arguments::estimated_capacity` (core::fmt) then grows it
 * like `String::push_str`, `panic!`/`assert*!` halt with rustc's messages, `dbg!` returns its
 * argument, `write!`/`writeln!` write into a user `fmt`'s Formatter or a String. Values are
 * formatted by `format.ts` (core::fmt: specs, user impls, derived Debug).
 */
import type { FormatPiece } from '../../hir/hir';
import type { Ty } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import { type Val, unitVal, unknownVal, utf8 } from '../../interp/memory';
import type { FMT_MACROS } from '../fmt';
import type { BuiltinSims, SimCall } from './api';
import { pushText } from './buffer';
import { deref, newString, ok, STRING_TY, unknownOwn } from './common';
import { FmtOut, formatArg, formatterOf, parseSpec, PLAIN } from './format';

const printMacro =
  (mac: 'println' | 'print' | 'eprintln' | 'eprint') =>
  (m: StdHost, c: SimCall): Val => {
    const text = formatText(m, c.format, c.args, c.argTy);
    if (mac === 'println' || mac === 'print') m.print(text.text, mac === 'println', text.known);
    const shown = text.text.length > 60 ? `${text.text.slice(0, 57)}…` : text.text;
    m.emit('call', `${mac}! printed ${JSON.stringify(shown)}`, []);
    return unitVal();
  };

const panicMacro =
  (mac: 'panic' | 'unreachable' | 'todo' | 'unimplemented') =>
  (m: StdHost, c: SimCall): never => {
    const t = formatText(m, c.format, c.args, c.argTy);
    const dflt =
      mac === 'panic'
        ? 'explicit panic'
        : mac === 'todo'
          ? 'not yet implemented'
          : mac === 'unimplemented'
            ? 'not implemented'
            : 'internal error: entered unreachable code';
    m.halt('panic', `panicked: ${t.text || dflt}`);
  };

const assertMacro = (m: StdHost, c: SimCall): Val => {
  const v = deref(m, c.args[0]);
  if (v.k === 'bool' && !v.v) m.halt('panic', 'panicked: assertion failed');
  return unitVal();
};

const assertEqMacro =
  (want: boolean) =>
  (m: StdHost, c: SimCall): Val => {
    const a = c.args;
    const e = m.valuesEqual(a[0] ?? unknownVal(), a[1] ?? unknownVal());
    if (e !== null && e !== want) {
      m.halt(
        'panic',
        `panicked: assertion \`left ${want ? '==' : '!='} right\` failed: left: ${display(m, deref(m, a[0]), '?')}, right: ${display(m, deref(m, a[1]), '?')}`,
      );
    }
    return unitVal();
  };

/**
 * Format pieces as the program sees them. `syntax/lower.ts` keeps the literal's source text
 * (quotes, escapes, `{{`); this strips the quotes of the first/last piece and decodes escapes,
 * and leaves already-decoded pieces as they are.
 */
export function decodePieces(pieces: FormatPiece[] | undefined): FormatPiece[] | undefined {
  if (!pieces || !pieces.length) return pieces;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first.kind !== 'text' || last.kind !== 'text') return pieces;
  const open = /^(b?r#*)?"/.exec(first.text);
  if (!open) return pieces;
  const raw = open[1] !== undefined && open[1].includes('r');
  const hashes = raw ? open[1].replace(/^b?r/, '').length : 0;
  const close = '"' + '#'.repeat(hashes);
  if (!last.text.endsWith(close)) return pieces;
  const out = pieces.map((p) => ({ ...p }));
  const f = out[0] as { kind: 'text'; text: string };
  f.text = f.text.slice(open[0].length);
  const l = out[out.length - 1] as { kind: 'text'; text: string };
  l.text = l.text.slice(0, l.text.length - close.length);
  for (const p of out) {
    if (p.kind !== 'text') continue;
    let t = p.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    if (!raw) t = unescapeRust(t);
    p.text = t;
  }
  return out;
}

function unescapeRust(t: string): string {
  return t.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]+\}|\n\s*|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return e.length > 1 ? '' : '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      case 'u':
        return String.fromCodePoint(parseInt(e.slice(2, -1).replace(/_/g, ''), 16));
      case '\n':
        return '';
      default:
        return e;
    }
  });
}

/** `Arguments::estimated_capacity` (core::fmt), then the growth of each write. */
function formatCapacity(rawPieces: FormatPiece[] | undefined, written: string[]): number {
  const pieces = decodePieces(rawPieces);
  if (!pieces) return utf8(written.join('')).length;
  const lits = pieces.filter((p) => p.kind === 'text').map((p) => utf8((p as { text: string }).text).length);
  const litLen = lits.reduce((x, y) => x + y, 0);
  const hasArgs = pieces.some((p) => p.kind === 'arg');
  let cap: number;
  if (!hasArgs) cap = litLen;
  else if (pieces[0]?.kind === 'text' && pieces[0].text === '' && litLen < 16) cap = 0;
  else if (pieces[0]?.kind === 'arg' && litLen < 16) cap = 0;
  else cap = litLen * 2;
  let len = 0;
  for (const w of written) {
    const n = utf8(w).length;
    if (n === 0) continue;
    if (cap - len < n) cap = Math.max(cap * 2, len + n, 8);
    len += n;
  }
  return cap;
}

/**
 * Renders a formatting macro's output (`format_args!` semantics: each argument comes by
 * reference; `argTy(i)` its static type); `known` false when some part is unknown (printed `?`).
 */
function formatText(
  m: StdHost,
  rawPieces: FormatPiece[] | undefined,
  args: Val[],
  argTy?: (i: number) => Ty,
): { text: string; known: boolean; pieces: string[] } {
  const pieces = decodePieces(rawPieces);
  const out: string[] = [];
  let known = true;
  const count = (i: number): number | null => {
    const v = deref(m, args[i]);
    return v.k === 'int' ? Number(v.v) : null;
  };
  const arg = (i: number, specText: string): string => {
    // format_args! receives `&arg`: format the argument itself (a `&str` stays a string).
    const a = args[i] ?? unknownVal();
    const shown = a.k === 'ptr' && a.to && !a.raw ? m.read(a.to) : a;
    const t = argTy?.(i);
    const ty = t && t.kind === 'ref' ? t.inner : undefined;
    const spec = parseSpec(specText, count);
    const o = new FmtOut();
    if (!spec) o.unknown();
    else formatArg(m, shown, spec, o, ty, shown);
    if (!o.known) known = false;
    return o.text;
  };
  if (!pieces) {
    args.forEach((_, i) => out.push(arg(i, '')));
    return { text: out.join(' '), known, pieces: out };
  }
  for (const p of pieces) {
    if (p.kind === 'text') out.push(p.text);
    else out.push(arg(p.index, p.spec));
  }
  return { text: out.join(''), known, pieces: out };
}

/**
 * `ToString::to_string` of a value through its `Display` (alloc's blanket impl: an empty String
 * written to piece by piece, growing as `push_str` does); null when some part is unknown.
 */
export function toStringOf(m: StdHost, v: Val): Val | null {
  const o = new FmtOut();
  formatArg(m, v, PLAIN, o);
  if (!o.known) return null;
  let cap = 0;
  let len = 0;
  for (const c of o.chunks) {
    const n = utf8(c).length;
    if (cap - len < n) cap = Math.max(cap * 2, len + n, 8);
    len += n;
  }
  return newString(m, o.text, cap);
}

/**
 * `{}` (spec '') or `{:?}` (spec '?') of a value, as core::fmt writes it (user impls run); `?`
 * for unknown parts. See `format.ts`.
 */
export function display(m: StdHost, v: Val, spec: string, orig?: Val): string {
  const o = new FmtOut();
  const sp = parseSpec(spec, () => null);
  if (!sp) return '?';
  formatArg(m, v, sp, o, undefined, orig);
  return o.text;
}

/** `write!`/`writeln!`: into a `Formatter` (a user `fmt` running) or a `String` (`fmt::Write`). */
const writeMacro =
  (newline: boolean) =>
  (m: StdHost, c: SimCall): Val => {
    const dest = c.args[0];
    const rest = c.format?.map((p) => (p.kind === 'arg' ? { ...p, index: p.index - 1 } : p));
    const t = formatText(m, rest, c.args.slice(1), (i) => c.argTy(i + 1));
    const f = formatterOf(m, dest);
    if (f) {
      for (const p of t.pieces) f.out.write(p);
      if (newline) f.out.write('\n');
      if (!t.known) f.out.known = false;
      return ok(unitVal());
    }
    let d = dest;
    for (let i = 0; i < 8 && d && d.k === 'ptr' && d.to; i++) {
      const inner = m.read(d.to);
      if (inner.k === 'own' && inner.kind === 'String') {
        if (!t.known) {
          const b = m.block(inner.block);
          if (b) b.unknownContents = true;
          return ok(unitVal());
        }
        for (const p of newline ? [...t.pieces, '\n'] : t.pieces) pushText(m, d, p);
        return ok(unitVal());
      }
      d = inner;
    }
    m.note(
      `line ${m.span.start.line + 1}: \`${newline ? 'writeln' : 'write'}!\` to a destination the simulation does not model (an \`io::Write\`)`,
    );
    m.havoc([dest ?? unknownVal()]);
    return unknownVal();
  };

export const FMT_SIMS: BuiltinSims<(typeof FMT_MACROS)[number]> = {
  'println!': printMacro('println'),
  'print!': printMacro('print'),
  'eprintln!': printMacro('eprintln'),
  'eprint!': printMacro('eprint'),
  'format!': (m, c) => {
    const t = formatText(m, c.format, c.args, c.argTy);
    if (!t.known) return unknownOwn(m, STRING_TY);
    return newString(m, t.text, formatCapacity(c.format, t.pieces));
  },
  'format_args!': { notSimulated: '`fmt::Arguments` is not a value the simulation keeps: the macros that take it are simulated instead' },
  'panic!': panicMacro('panic'),
  'unreachable!': panicMacro('unreachable'),
  'todo!': panicMacro('todo'),
  'unimplemented!': panicMacro('unimplemented'),
  'assert!': assertMacro,
  'debug_assert!': assertMacro,
  'assert_eq!': assertEqMacro(true),
  'assert_ne!': assertEqMacro(false),
  'debug_assert_eq!': assertEqMacro(true),
  'debug_assert_ne!': assertEqMacro(false),
  'dbg!': (_m, c) => c.args[0] ?? unitVal(),
  'write!': writeMacro(false),
  'writeln!': writeMacro(true),
};
