/**
 * core::fmt as the simulation runs it: a format spec (`parseSpec`), the value formatted by the
 * trait the spec names (`formatArg`), and the formatters user `fmt` bodies write into.
 *
 * - `{}` runs `Display`, `{:?}` `Debug`, `{:x}` `LowerHex`... A user type's `Display`/`Debug`
 *   impl runs its MIR body (`StdHost.callImpl`) with a `&mut Formatter` whose output is collected
 *   here (`write!(f, ..)` appends to it: `writeFormatter`); `#[derive(Debug)]` and std types are
 *   formatted as their derived/std `Debug` writes them (core::fmt::builders: `Name { a: 1 }`,
 *   `Name(1)`, `Name`, `[1, 2]`, `{k: v}`, and with `#` the pretty form, one field a line,
 *   indented by 4 by the `PadAdapter`, each followed by `,`).
 * - The spec `[[fill]align][sign][#][0][width][.precision][type]` applies as core::fmt does: to a
 *   leaf (number, string, char, bool) by padding (`Formatter::pad` / `pad_integral`); a derived
 *   `Debug` passes it to each field; a user `fmt` sees it only through what it calls, so a
 *   `write!` in it ignores the width (as rustc's).
 * - Floats print as core's `float_to_decimal_display` (shortest digits that round-trip, never an
 *   exponent) and `float_to_general_debug` (`Debug`: exponent below 1e-4 and from 1e16 on, `.0`
 *   on integers); `f32` values take the shortest digits of an `f32`.
 * - `known` becomes false whenever a part is unknown (printed `?`): the caller marks the output.
 */
import type { AdtDef } from '../../hir/hir';
import type { IntName, Ty } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import { type Loc, type Val, unknownVal, withPath } from '../../interp/memory';
import { heapShape } from '../registry';

/** A parsed format spec; `width`/`precision` already resolved from `N$` / `*` arguments. */
export interface FmtSpec {
  fill: string;
  align?: '<' | '>' | '^';
  plus: boolean;
  alt: boolean;
  zero: boolean;
  width?: number;
  precision?: number;
  /** '' (Display), '?', 'x?', 'X?', 'x', 'X', 'b', 'o', 'e', 'E', 'p'. */
  ty: string;
}

export const PLAIN: FmtSpec = { fill: ' ', plus: false, alt: false, zero: false, ty: '' };

/**
 * Parses `spec` (the text after `:`), with `count(i)` giving the value of argument `i` for
 * `i$` widths and precisions (`syntax/lower.ts` rewrites `name$` and `.*` to indices). Null when
 * the spec is not one core::fmt accepts or a count is unknown.
 */
export function parseSpec(spec: string, count: (i: number) => number | null): FmtSpec | null {
  const re = /^(?:(.)?([<>^]))?([+-])?(#)?(0)?(?:(\d+)\$|(\d+))?(?:\.(?:(\d+)\$|(\d+)))?(\?|x\?|X\?|[xXbeEop])?$/su;
  const mm = re.exec(spec);
  if (!mm) return null;
  const [, fill, align, sign, alt, zero, widthArg, width, precArg, prec, ty = ''] = mm;
  const out: FmtSpec = { fill: fill ?? ' ', plus: sign === '+', alt: alt === '#', zero: zero === '0', ty };
  if (align) out.align = align as FmtSpec['align'];
  if (widthArg !== undefined) {
    const w = count(Number(widthArg));
    if (w === null) return null;
    out.width = w;
  } else if (width !== undefined) out.width = Number(width);
  if (precArg !== undefined) {
    const p = count(Number(precArg));
    if (p === null) return null;
    out.precision = p;
  } else if (prec !== undefined) out.precision = Number(prec);
  return out;
}

/** Collected output of one formatting: its text, and whether every part was known. */
export class FmtOut {
  text = '';
  known = true;
  /** Each `write_str` the formatting made, in order (a String written to grows at each). */
  readonly chunks: string[] = [];
  write(s: string): void {
    this.text += s;
    if (s) this.chunks.push(s);
  }
  unknown(): void {
    this.known = false;
    this.text += '?';
  }
}

// --- formatters handed to user `fmt` bodies

/** The `Formatter`s alive (a user `fmt` running): index = the Formatter value's id field. */
const formatters: { out: FmtOut; spec: FmtSpec }[] = [];

/** The formatter a `&mut Formatter` value is (after derefs), or undefined. */
export function formatterOf(m: StdHost, v: Val | undefined): { out: FmtOut; spec: FmtSpec } | undefined {
  let d = v;
  for (let i = 0; i < 8 && d && d.k === 'ptr' && d.to; i++) d = m.read(d.to);
  if (!d || d.k !== 'agg' || d.adt !== 'Formatter') return undefined;
  const id = d.fields[0];
  return id && id.k === 'int' ? formatters[Number(id.v)] : undefined;
}

/**
 * Runs the file's impl of `trait` (`Display`, `Debug`, `LowerHex`...) `fmt` for the value `self`
 * points to, collecting what it writes into `out`; false when the file has no such impl.
 */
function callUserFmt(m: StdHost, trait: string, self: Val, spec: FmtSpec, out: FmtOut): boolean {
  const id = formatters.length;
  const inner = new FmtOut();
  formatters.push({ out: inner, spec });
  try {
    const f: Val = { k: 'agg', adt: 'Formatter', fields: [{ k: 'int', v: BigInt(id), ty: 'usize' }], names: ['id'] };
    const ret = m.callImpl(trait, 'fmt', self, [m.scratchRef(f)]);
    if (ret === undefined) return false;
    for (const c of inner.chunks) out.write(c);
    if (!inner.known) out.known = false;
    if (ret.k === 'agg' && ret.variant === 'Err') out.known = false;
  } finally {
    formatters.length = id;
  }
  return true;
}

// --- values

const TRAIT_OF: Record<string, string> = {
  '': 'Display',
  '?': 'Debug',
  'x?': 'Debug',
  'X?': 'Debug',
  x: 'LowerHex',
  X: 'UpperHex',
  b: 'Binary',
  o: 'Octal',
  e: 'LowerExp',
  E: 'UpperExp',
  p: 'Pointer',
};

/**
 * Formats `v` (the argument as `format_args!` sees it: the value, not the reference to it) with
 * `spec` into `out`. `ty` is its static type when known (it tells an `f32` from an `f64`).
 */
export function formatArg(m: StdHost, v: Val, spec: FmtSpec, out: FmtOut, ty?: Ty, orig?: Val, depth = 0): void {
  if (depth > 24) return out.unknown();
  if (spec.ty === 'p') {
    const p = orig?.k === 'ptr' ? orig : v.k === 'ptr' ? v : undefined;
    return pad(out, spec, p?.to ? `0x${(0x1000 + hashLoc(p.to)).toString(16)}` : '0x?', false);
  }
  while (v.k === 'moved') v = v.inner;
  const debug = spec.ty.includes('?');
  switch (v.k) {
    case 'int':
      return formatInt(out, spec, v.v, v.ty);
    case 'float':
      return formatFloat(out, spec, v.v, isF32(ty), debug);
    case 'bool':
      return pad(out, spec, String(v.v), false);
    case 'char':
      return pad(out, spec, debug ? `'${escapeDebug(v.v, "'")}'` : v.v, false);
    case 'ptr':
    case 'own':
      return formatRefOrOwn(m, v, spec, out, ty, depth);
    case 'agg':
      // A partial aggregate (parts written into an unknown value) has unknown parts and length.
      return v.partial ? out.unknown() : formatAgg(m, v, spec, out, ty, depth);
    default:
      return out.unknown();
  }
}

function isF32(ty: Ty | undefined): boolean {
  let t = ty;
  while (t && t.kind === 'ref') t = t.inner;
  return t?.kind === 'float' && t.name === 'f32';
}

function formatRefOrOwn(m: StdHost, v: Val & { k: 'ptr' | 'own' }, spec: FmtSpec, out: FmtOut, ty: Ty | undefined, depth: number): void {
  const debug = spec.ty.includes('?');
  const inner = ty && (ty.kind === 'ref' || ty.kind === 'rawptr') ? ty.inner : undefined;
  // A byte string (`b"ab"`: `&[u8; 2]`) is bytes, not text.
  const bytes = inner && (inner.kind === 'array' || inner.kind === 'slice');
  const text = bytes ? null : m.asText(v);
  if (text !== null) return pad(out, spec, debug ? `"${escapeDebug(text, '"')}"` : text, false, true);
  if (v.k === 'ptr') {
    if (v.len === 0 && debug) return out.write('[]');
    if (!v.to) return out.unknown();
    if (typeof v.len === 'number') {
      if (!debug) return out.unknown();
      const items: Val[] = [];
      for (let i = 0; i < Math.min(v.len, 10_000); i++) {
        const l = v.to.path.length
          ? { ...v.to, path: [...v.to.path.slice(0, -1), v.to.path[v.to.path.length - 1] + i] }
          : withPath(v.to, [i]);
        items.push(m.read(l as Loc));
      }
      return list(m, out, spec, '[', ']', items, elemOf(inner), depth);
    }
    if (v.len === null) return out.unknown();
    return formatArg(m, m.read(v.to), spec, out, inner, undefined, depth + 1);
  }
  const b = m.block(v.block);
  const shape = heapShape(v.kind);
  const args = v.ty.kind === 'adt' ? v.ty.args : [];
  if (shape?.kind === 'box' || shape?.kind === 'counted') {
    if (!b || b.unknownContents) return out.unknown();
    const self: Val = { k: 'ptr', to: { region: 'heap', block: b.id, path: [0] }, mutable: false };
    if (userTrait(spec) && callUserFmt(m, userTrait(spec)!, self, spec, out)) return;
    return formatArg(m, b.elems[0] ?? unknownVal(), spec, out, args[0], undefined, depth + 1);
  }
  if (shape?.kind === 'weak') return debug ? pad(out, spec, '(Weak)', false) : out.unknown();
  if (!debug) return out.unknown(); // collections have no Display
  if (v.block !== null && (!b || b.unknownContents)) return out.unknown();
  const elems = b ? b.elems : [];
  if (shape?.kind === 'table' || shape?.kind === 'btree') {
    if (shape.set) return list(m, out, spec, '{', '}', elems, args[0], depth);
    return map(m, out, spec, elems, args[0], args[1], depth);
  }
  if (shape?.kind === 'buffer') return list(m, out, spec, '[', ']', elems, args[0], depth);
  return out.unknown();
}

const elemOf = (t: Ty | undefined): Ty | undefined => (t && (t.kind === 'slice' || t.kind === 'array') ? t.elem : undefined);

/** The user trait a spec runs (`Display` for `{}`), undefined for `{:p}`. */
function userTrait(spec: FmtSpec): string | undefined {
  return spec.ty === 'p' ? undefined : TRAIT_OF[spec.ty];
}

/** `Display` text of std's error values (core/src/num/error.rs, dec2flt). */
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

function formatAgg(m: StdHost, v: Val & { k: 'agg' }, spec: FmtSpec, out: FmtOut, ty: Ty | undefined, depth: number): void {
  const debug = spec.ty.includes('?');
  if (v.closure) return out.unknown();
  const trait = userTrait(spec);
  const def = v.adt ? (m.adts.get(v.adt) ?? m.adts.get(v.adt.replace(/^.*::/, ''))) : undefined;
  // A user impl of the trait runs; a derived Debug is formatted below.
  if (trait && v.adt && !(debug && def?.derives.includes('Debug'))) {
    if (callUserFmt(m, trait, m.scratchRef(v), spec, out)) return;
  }
  if (!debug) {
    const kind = v.fields[0];
    const err = v.adt && ERROR_TEXT[v.adt] && kind?.k === 'agg' && kind.variant ? ERROR_TEXT[v.adt][kind.variant] : undefined;
    if (err !== undefined) return pad(out, spec, err, false, true);
    return out.unknown();
  }
  if (def && !def.derives.includes('Debug')) return out.unknown();
  const fieldTys = fieldTypes(def, v, ty);
  if (v.adt === 'RefCell' || v.adt === 'Cell') return struct(m, out, spec, v.adt, ['value'], [v.fields[0] ?? unknownVal()], [], depth);
  if (v.adt === 'Mutex' || v.adt === 'RwLock') {
    // std/src/sync/poison: the data, the poison flag, and `..` for the rest.
    struct(m, out, spec, v.adt, ['data', 'poisoned'], [v.fields[0] ?? unknownVal(), { k: 'bool', v: false }], [], depth, true);
    return;
  }
  if (v.array) return list(m, out, spec, '[', ']', v.fields, elemOf(ty), depth);
  const name = v.variant ?? (v.adt ? (def?.name ?? v.adt).replace(/^.*::/, '') : undefined);
  if (name === undefined) return tuple(m, out, spec, '', v.fields, fieldTys, depth);
  const shape = variantShape(def, v);
  if (shape === 'struct') return struct(m, out, spec, name, v.names ?? [], v.fields, fieldTys, depth);
  if (v.fields.length === 0) return out.write(name);
  return tuple(m, out, spec, name, v.fields, fieldTys, depth);
}

/** `unit` / `tuple` / `struct` as declared (field names when not declared here). */
function variantShape(def: AdtDef | undefined, v: Val & { k: 'agg' }): 'unit' | 'tuple' | 'struct' {
  if (def?.kind === 'enum' && v.variant) {
    const vd = def.variants.find((x) => x.name === v.variant);
    if (vd) return vd.shape;
  } else if (def && def.kind !== 'enum') {
    if (def.fields.length === 0) return 'unit';
    return /^\d+$/.test(def.fields[0].name) ? 'tuple' : 'struct';
  }
  if (!v.fields.length) return 'unit';
  return v.names && v.names.length && !/^\d+$/.test(v.names[0]) ? 'struct' : 'tuple';
}

/** The declared field types of a user ADT value (generic parameters left as they are), for floats. */
function fieldTypes(def: AdtDef | undefined, v: Val & { k: 'agg' }, ty: Ty | undefined): (Ty | undefined)[] {
  if (ty && ty.kind === 'tuple') return ty.elems;
  if (!def) return [];
  if (def.kind === 'enum') return def.variants.find((x) => x.name === v.variant)?.fields.map((f) => f.ty) ?? [];
  return def.fields.map((f) => f.ty);
}

// --- core::fmt::builders

/** Writes `text` indented as the `PadAdapter` does (every line after a newline by 4 spaces). */
function indented(text: string): string {
  return text.replace(/\n(?!$)/g, '\n    ');
}

/** One value formatted alone, with the same spec (a derived Debug passes its Formatter on). */
function part(m: StdHost, v: Val, spec: FmtSpec, ty: Ty | undefined, out: FmtOut, depth: number): string {
  const o = new FmtOut();
  formatArg(m, v, spec, o, ty, undefined, depth + 1);
  if (!o.known) out.known = false;
  return o.text;
}

function struct(
  m: StdHost,
  out: FmtOut,
  spec: FmtSpec,
  name: string,
  names: string[],
  vals: Val[],
  tys: (Ty | undefined)[],
  depth: number,
  nonExhaustive = false,
): void {
  const parts = vals.map((x, i) => `${names[i] ?? i}: ${part(m, x, spec, tys[i], out, depth)}`);
  if (spec.alt) {
    if (!parts.length && !nonExhaustive) return out.write(name);
    const lines = parts.map((p) => `    ${indented(p)},\n`);
    if (nonExhaustive) lines.push('    ..\n');
    return out.write(`${name} {\n${lines.join('')}}`);
  }
  if (nonExhaustive) parts.push('..');
  out.write(parts.length ? `${name} { ${parts.join(', ')} }` : name);
}

function tuple(m: StdHost, out: FmtOut, spec: FmtSpec, name: string, vals: Val[], tys: (Ty | undefined)[], depth: number): void {
  const parts = vals.map((x, i) => part(m, x, spec, tys[i], out, depth));
  if (spec.alt && parts.length) return out.write(`${name}(\n${parts.map((p) => `    ${indented(p)},\n`).join('')})`);
  // A 1-tuple keeps its comma: `(1,)`; a named one does not: `Some(1)`.
  out.write(`${name}(${parts.join(', ')}${name === '' && parts.length === 1 ? ',' : ''})`);
}

function list(
  m: StdHost,
  out: FmtOut,
  spec: FmtSpec,
  open: string,
  close: string,
  vals: Val[],
  elemTy: Ty | undefined,
  depth: number,
): void {
  const parts = vals.map((x) => part(m, x, spec, elemTy, out, depth));
  if (spec.alt && parts.length) return out.write(`${open}\n${parts.map((p) => `    ${indented(p)},\n`).join('')}${close}`);
  out.write(`${open}${parts.join(', ')}${close}`);
}

function map(m: StdHost, out: FmtOut, spec: FmtSpec, entries: Val[], kTy: Ty | undefined, vTy: Ty | undefined, depth: number): void {
  const parts = entries.map((e) => {
    if (e.k !== 'agg') {
      out.known = false;
      return '?';
    }
    return `${part(m, e.fields[0] ?? unknownVal(), spec, kTy, out, depth)}: ${part(m, e.fields[1] ?? unknownVal(), spec, vTy, out, depth)}`;
  });
  if (spec.alt && parts.length) return out.write(`{\n${parts.map((p) => `    ${indented(p)},\n`).join('')}}`);
  out.write(`{${parts.join(', ')}}`);
}

// --- leaves

/** `Formatter::pad` (strings: precision truncates) / `pad_integral` (numbers: sign-aware zero padding). */
function pad(out: FmtOut, spec: FmtSpec, body: string, numeric: boolean, truncate = false): void {
  let s = body;
  if (truncate && spec.precision !== undefined) s = Array.from(s).slice(0, spec.precision).join('');
  const len = Array.from(s).length;
  const w = spec.width ?? 0;
  if (len >= w) return out.write(s);
  if (numeric && spec.zero) {
    const pre = /^[+-]?(0[xbo])?/.exec(s)?.[0] ?? '';
    return out.write(pre + '0'.repeat(w - len) + s.slice(pre.length));
  }
  const n = w - len;
  const align = spec.align ?? (numeric ? '>' : '<');
  if (align === '<') return out.write(s + spec.fill.repeat(n));
  if (align === '>') return out.write(spec.fill.repeat(n) + s);
  const left = Math.floor(n / 2);
  out.write(spec.fill.repeat(left) + s + spec.fill.repeat(n - left));
}

function formatInt(out: FmtOut, spec: FmtSpec, v: bigint, ty: IntName | undefined): void {
  const t = spec.ty;
  const radix = t === 'x' || t === 'X' || t === 'x?' || t === 'X?' ? 16 : t === 'b' ? 2 : t === 'o' ? 8 : 10;
  let body: string;
  if (t === 'e' || t === 'E') {
    body = expText(Number(v), spec.precision, t === 'E');
  } else if (radix !== 10) {
    // Hex/binary/octal print the two's-complement bits of a negative number, of its type's width.
    const bits = v < 0n ? (1n << BigInt(intBits(ty))) + v : v;
    body = bits.toString(radix);
    if (t === 'X' || t === 'X?') body = body.toUpperCase();
    if (spec.alt) body = (radix === 16 ? '0x' : radix === 2 ? '0b' : '0o') + body;
  } else body = (v < 0n ? -v : v).toString();
  if (v < 0n && radix === 10) body = '-' + body;
  else if (spec.plus) body = '+' + body;
  pad(out, spec, body, true);
}

/** Bits of an integer type (i32 when not known, the default integer type). */
function intBits(ty: IntName | undefined): number {
  if (!ty) return 32;
  if (ty === 'isize' || ty === 'usize') return 64;
  return Number(ty.slice(1));
}

/** The shortest decimal digits that read back as the same f32. */
function f32Shortest(x: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/** A JS number text (maybe with an exponent) as plain decimal digits: `1e+21` → `1000000000000000000000`. */
function plain(text: string): string {
  const mm = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!mm) return text;
  const [, sign, int, frac = '', e] = mm;
  const digits = int + frac;
  const point = int.length + Number(e);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `{:e}`: `1.2345e3` (no `+`, no padding of the exponent). */
function expText(x: number, precision: number | undefined, upper: boolean): string {
  let s = precision === undefined ? x.toExponential() : x.toExponential(precision);
  s = s.replace('e+', 'e');
  return upper ? s.toUpperCase() : s;
}

/** Rounds `x` to `p` decimals as core does: the exact binary value, ties to even. */
function fixed(x: number, p: number): string {
  const s = x.toFixed(p);
  // toFixed breaks exact ties upward; core's exact mode gives the even digit.
  const scaled = Math.abs(x) * 10 ** p;
  if (p <= 20 && Number.isFinite(scaled) && scaled < 2 ** 52 && scaled - Math.floor(scaled) === 0.5) {
    const down = Math.floor(scaled);
    const even = down % 2 === 0 ? down : down + 1;
    const digits = String(even).padStart(p + 1, '0');
    const body = p ? `${digits.slice(0, -p)}.${digits.slice(-p)}` : digits;
    return (x < 0 ? '-' : '') + body;
  }
  return Math.abs(x) >= 1e21 ? plain(BigInt(Math.trunc(x)).toString()) + (p ? '.' + '0'.repeat(p) : '') : s;
}

function formatFloat(out: FmtOut, spec: FmtSpec, x: number, f32: boolean, debug: boolean): void {
  let body: string;
  if (Number.isNaN(x)) body = 'NaN';
  else if (!Number.isFinite(x)) body = x < 0 ? '-inf' : 'inf';
  else if (spec.ty === 'e' || spec.ty === 'E') body = expText(x, spec.precision, spec.ty === 'E');
  else if (spec.precision !== undefined) body = fixed(x, spec.precision);
  else {
    const short = f32 ? f32Shortest(x) : String(x);
    const abs = Math.abs(x);
    if (debug && abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
      // float_to_general_debug: the shortest digits with an exponent (`1e16`, `1.5e-5`).
      body = Number(short).toExponential().replace('e+', 'e');
    } else {
      body = plain(short);
      if (debug && !body.includes('.')) body += '.0';
    }
    if (Object.is(x, -0)) body = debug ? '-0.0' : '-0';
  }
  if (spec.plus && !body.startsWith('-')) body = '+' + body;
  pad(out, spec, body, true);
}

/** `str::escape_debug` as `Debug` of str/char uses it (the other quote kind is left alone). */
export function escapeDebug(s: string, quote: '"' | "'"): string {
  let r = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') r += '\\\\';
    else if (ch === quote) r += '\\' + quote;
    else if (ch === '\n') r += '\\n';
    else if (ch === '\r') r += '\\r';
    else if (ch === '\t') r += '\\t';
    else if (ch === '\0') r += '\\0';
    else if (c < 0x20 || c === 0x7f) r += `\\u{${c.toString(16)}}`;
    else r += ch;
  }
  return r;
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
