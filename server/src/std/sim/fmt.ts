/**
 * The formatting and assertion macros (`fmt.ts`): `println!` and friends print through the
 * host, `format!` builds a String with `Arguments::estimated_capacity` (core::fmt) then grows it
 * like `String::push_str`, `panic!`/`assert*!` halt with rustc's messages, `dbg!` returns its
 * argument. `display` / `formatWithSpec` render values as `{}` / `{:?}` and the common format
 * specs do.
 */
import type { FormatPiece } from '../../hir/hir';
import type { StdHost } from '../../interp/host';
import { type Loc, type Val, floatText, unitVal, unknownVal, utf8, withPath } from '../../interp/memory';
import type { FMT_MACROS } from '../fmt';
import { heapShape } from '../registry';
import type { BuiltinSims, SimCall } from './api';
import { deref, newString, STRING_TY, unknownOwn } from './common';

const printMacro =
  (mac: 'println' | 'print' | 'eprintln' | 'eprint') =>
  (m: StdHost, c: SimCall): Val => {
    const text = formatText(m, c.format, c.args);
    if (mac === 'println' || mac === 'print') m.print(text.text, mac === 'println', text.known);
    const shown = text.text.length > 60 ? `${text.text.slice(0, 57)}…` : text.text;
    m.emit('call', `${mac}! printed ${JSON.stringify(shown)}`, []);
    return unitVal();
  };

const panicMacro =
  (mac: 'panic' | 'unreachable' | 'todo' | 'unimplemented') =>
  (m: StdHost, c: SimCall): never => {
    const t = formatText(m, c.format, c.args);
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

export const FMT_SIMS: BuiltinSims<(typeof FMT_MACROS)[number]> = {
  'println!': printMacro('println'),
  'print!': printMacro('print'),
  'eprintln!': printMacro('eprintln'),
  'eprint!': printMacro('eprint'),
  'format!': (m, c) => {
    const t = formatText(m, c.format, c.args);
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
  'write!': { notSimulated: 'writes to a `fmt::Write`/`io::Write` destination the simulation does not model' },
  'writeln!': { notSimulated: 'writes to a `fmt::Write`/`io::Write` destination the simulation does not model' },
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

/** Renders a formatting macro's output; `known` false when an argument is unknown. */
function formatText(m: StdHost, rawPieces: FormatPiece[] | undefined, args: Val[]): { text: string; known: boolean; pieces: string[] } {
  const pieces = decodePieces(rawPieces);
  const out: string[] = [];
  let known = true;
  const arg = (i: number, spec: string): string => {
    const v = deref(m, args[i]);
    if (v.k === 'unknown' || v.k === 'uninit') known = false;
    // format_args! receives `&arg`: display the argument itself (a `&str` stays a string).
    const a = args[i];
    const shown = a && a.k === 'ptr' && a.to && !a.raw ? m.read(a.to) : (a ?? unknownVal());
    const text = spec.includes('p') ? display(m, shown, spec, shown) : formatWithSpec(m, shown, spec, shown);
    if (text === UNKNOWN_DISPLAY) known = false;
    return text;
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
 * A format spec (`<6`, `>8.2`, `08`, `#?`, `x`), applied as core::fmt does for the common cases:
 * `[[fill]align][+][#][0][width][.precision][type]`. Width and precision given as arguments
 * (`width$`, `*`) are not supported (the value is shown unpadded).
 */
export function formatWithSpec(m: StdHost, v: Val, spec: string, orig?: Val): string {
  const re = /^(?:(.)?([<>^]))?(\+)?(#)?(0)?(\d+)?(?:\.(\d+))?([?xXbeo]|x\?|X\?)?$/u;
  const mm = re.exec(spec);
  if (!mm || spec.includes('p')) return display(m, v, spec, orig);
  const [, fill = ' ', align, plus, alt, zero, width, prec, ty = ''] = mm;
  const num = v.k === 'int' || v.k === 'float';
  let body: string;
  if (v.k === 'int' && (ty === 'x' || ty === 'X' || ty === 'b' || ty === 'o')) {
    const base = ty === 'b' ? 2 : ty === 'o' ? 8 : 16;
    body = (v.v < 0n ? -v.v : v.v).toString(base);
    if (ty === 'X') body = body.toUpperCase();
    if (alt) body = (ty === 'b' ? '0b' : ty === 'o' ? '0o' : '0x') + body;
    if (v.v < 0n) body = '-' + body;
  } else if (v.k === 'float' && prec !== undefined) {
    body = v.v.toFixed(Number(prec));
  } else {
    body = display(m, v, ty.includes('?') ? (alt ? '#?' : '?') : '', orig);
    if (prec !== undefined && !num) body = Array.from(body).slice(0, Number(prec)).join('');
  }
  if (plus && num && !body.startsWith('-')) body = '+' + body;
  const w = width ? Number(width) : 0;
  const len = Array.from(body).length;
  if (len >= w) return body;
  if (zero && num && !align) {
    const sign = /^[+-]/.test(body) ? body[0] : '';
    return sign + '0'.repeat(w - len) + body.slice(sign.length);
  }
  const pad = w - len;
  const a = align ?? (num ? '>' : '<');
  if (a === '<') return body + fill.repeat(pad);
  if (a === '>') return fill.repeat(pad) + body;
  const left = Math.floor(pad / 2);
  return fill.repeat(left) + body + fill.repeat(pad - left);
}

/** What `{}` of a value prints when it runs a `Display::fmt` the simulation does not (a user type's). */
const UNKNOWN_DISPLAY = '?';

/** `Display` of std's error values, as std's `fmt` writes them (core/src/num/error.rs, dec2flt). */
const ERROR_TEXT: Record<string, Record<string, string>> = {
  ParseIntError: {
    Empty: 'cannot parse integer from empty string',
    InvalidDigit: 'invalid digit found in string',
    PosOverflow: 'number too large to fit in target type',
    NegOverflow: 'number too small to fit in target type',
    Zero: 'number would be zero for non-zero type',
  },
  ParseFloatError: { Empty: 'cannot parse float from empty string', Invalid: 'invalid float literal' },
};

/**
 * Display (`{}`) or Debug (`{:?}`) of a value, best effort; `?` for unknown parts. Debug follows
 * `#[derive(Debug)]` and std's collections; Display of a user type would run its `fmt`, which is
 * not simulated: `?`, never its Debug form.
 */
export function display(m: StdHost, v: Val, spec: string, orig?: Val, depth = 0): string {
  const debug = spec.includes('?');
  if (spec.includes('p')) {
    const p = orig?.k === 'ptr' ? orig : undefined;
    return p?.to ? `0x${(0x1000 + hashLoc(p.to)).toString(16)}` : '0x?';
  }
  if (depth > 8) return '…';
  switch (v.k) {
    case 'int':
      return v.v.toString();
    case 'float':
      return debug ? floatText(v.v) : Number.isInteger(v.v) ? String(v.v) : String(v.v);
    case 'bool':
      return String(v.v);
    case 'char':
      return debug ? `'${v.v}'` : v.v;
    case 'own': {
      const t = m.asText(v);
      if (t !== null) return debug ? JSON.stringify(t) : t;
      const b = m.block(v.block);
      const shape = heapShape(v.kind);
      if (shape?.kind === 'box' || shape?.kind === 'counted')
        return b ? display(m, b.elems[0] ?? unknownVal(), spec, undefined, depth + 1) : '?';
      if (shape?.kind === 'weak') return '(Weak)';
      if (!debug) return UNKNOWN_DISPLAY; // collections have no Display
      if (b?.unknownContents) return '?';
      const elems = b ? b.elems : [];
      const item = (e: Val): string => display(m, e, '?', undefined, depth + 1);
      // Debug of collections (core::fmt::builders): lists `[a, b]`, sets `{a, b}`, maps `{k: v}`.
      if (shape?.kind === 'buffer') return `[${elems.map(item).join(', ')}]`;
      if (shape?.set) return `{${elems.map(item).join(', ')}}`;
      if (shape?.kind === 'table' || shape?.kind === 'btree')
        return `{${elems.map((e) => (e.k === 'agg' ? `${item(e.fields[0] ?? unknownVal())}: ${item(e.fields[1] ?? unknownVal())}` : '?')).join(', ')}}`;
      return '?';
    }
    case 'ptr': {
      const t = m.asText(v);
      if (t !== null) return debug ? JSON.stringify(t) : t;
      if (v.len === 0) return '[]';
      if (typeof v.len === 'number' && v.to) {
        // A slice: its elements.
        const parts: string[] = [];
        for (let i = 0; i < Math.min(v.len, 1000); i++) {
          const l = v.to.path.length
            ? { ...v.to, path: [...v.to.path.slice(0, -1), v.to.path[v.to.path.length - 1] + i] }
            : withPath(v.to, [i]);
          parts.push(display(m, m.read(l as Loc), '?', undefined, depth + 1));
        }
        return `[${parts.join(', ')}]`;
      }
      return v.to ? display(m, m.read(v.to), spec, undefined, depth + 1) : '?';
    }
    case 'agg': {
      if (!debug) {
        const kind = v.fields[0];
        const err = v.adt && ERROR_TEXT[v.adt] && kind?.k === 'agg' && kind.variant ? ERROR_TEXT[v.adt][kind.variant] : undefined;
        return err ?? UNKNOWN_DISPLAY;
      }
      if (v.adt === 'RefCell' || v.adt === 'Cell')
        return `${v.adt} { value: ${display(m, v.fields[0] ?? unknownVal(), '?', undefined, depth + 1)} }`;
      // Mutex / RwLock Debug (std/src/sync/poison): the data and the poison flag.
      if (v.adt === 'Mutex' || v.adt === 'RwLock')
        return `${v.adt} { data: ${display(m, v.fields[0] ?? unknownVal(), '?', undefined, depth + 1)}, poisoned: false, .. }`;
      const inner = v.fields.map((f) => display(m, f, '?', undefined, depth + 1));
      if (v.variant) return inner.length ? `${v.variant}(${inner.join(', ')})` : v.variant;
      if (v.adt && v.names && v.names.length && !/^\d+$/.test(v.names[0]))
        return `${v.adt} { ${v.names.map((n, i) => `${n}: ${inner[i]}`).join(', ')} }`;
      if (v.adt) return `${v.adt}(${inner.join(', ')})`;
      if (v.array) return `[${inner.join(', ')}]`;
      return inner.length === 0 ? '()' : inner.length === 1 ? `(${inner[0]},)` : `(${inner.join(', ')})`;
    }
    default:
      return '?';
  }
}

function hashLoc(l: Loc): number {
  const base =
    l.region === 'stack'
      ? 0x7ff0_0000 + l.act * 0x100 + l.local * 8
      : l.region === 'heap'
        ? 0x5000_0000 + l.block * 0x40
        : 0x4000 + l.id * 0x20;
  return base + (l.path[0] ?? 0);
}
