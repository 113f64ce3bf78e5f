/**
 * Simulation of `String` and `str` (`../string.ts`). A String's block holds its UTF-8 bytes
 * (`u8` values); `&str` values are fat pointers (`len` in bytes) into a String's block or a
 * literal's static bytes; sub-slices (`trim`, `split_whitespace`) point into the same bytes.
 */
import type { StdHost } from '../../interp/host';
import { type Loc, type Val, byteOf, fromUtf8, intVal, unitVal, unknownVal, utf8, withPath } from '../../interp/memory';
import type { STR_IMPL, STRING_IMPL } from '../string';
import { notSimulated, type Sim, type SimTable } from './api';
import { asPtrSim, clearSim, extendSim, lenSim, popSim, pushSim, reserveSim, retainSim, shrinkSim, splitOffSim } from './buffer';
import {
  bool,
  cmpSim,
  container,
  deref,
  ensureCap,
  err,
  intArg,
  minNonZeroCap,
  newString,
  none,
  ok,
  partialCmpSim,
  sliceOf,
  some,
  STRING_TY,
  strBytes,
  U8,
  unknownOwn,
} from './common';
import { iterOver } from './iterate';
import { intoBoxedSim } from './boxed';

/** `String::from(&str | char | String)`: exact capacity. */
const fromSim: Sim = (m, c) => {
  const text = m.asText(c.args[0] ?? unknownVal());
  if (text !== null) return newString(m, text);
  const ch = deref(m, c.args[0]);
  if (ch.k === 'char') return newString(m, ch.v);
  return unknownOwn(m, STRING_TY);
};

/** A new String from the receiver's text (`to_uppercase`, `repeat`...). */
const mapText =
  (f: (t: string, m: StdHost, a: Val[]) => string | null): Sim =>
  (m, c) => {
    const t = m.asText(c.args[0] ?? unknownVal());
    if (t === null) return unknownOwn(m, STRING_TY);
    const out = f(t, m, c.args);
    return out === null ? unknownOwn(m, STRING_TY) : newString(m, out);
  };

/** A pattern argument: a char or a string, or null. */
function pattern(m: StdHost, v: Val | undefined): string | null {
  const d = deref(m, v);
  return d.k === 'char' ? d.v : m.asText(v ?? unknownVal());
}

const byteLen = (t: string): number => utf8(t).length;

/** `trim`, `trim_start`, `trim_end`: a `&str` into the same bytes. */
const trimSim =
  (which: 'trim' | 'trim_start' | 'trim_end'): Sim =>
  (m, c) => {
    const p = strBytes(m, c.args[0]);
    if (!p) return null;
    const text = fromUtf8(p.bytes);
    const startTrimmed = text.replace(/^\s+/u, '');
    const lead = which === 'trim_end' ? 0 : byteLen(text) - byteLen(startTrimmed);
    const kept = (which === 'trim_end' ? text : startTrimmed).replace(which === 'trim_start' ? /$^/ : /\s+$/u, '');
    return { k: 'ptr', to: withPath(p.base, [p.start + lead]), mutable: false, len: byteLen(kept) };
  };

/**
 * A `trim_matches` pattern (std `Pattern`): a char, a `&[char]` / `[char; N]` set of chars (each
 * matches), or a `&str` (matched whole, repeatedly). Null for what the simulation does not read
 * (a closure, unknown values).
 */
function trimPattern(m: StdHost, v: Val | undefined): { char: (ch: string) => boolean } | { text: string } | null {
  const d = deref(m, v);
  if (d.k === 'char') return { char: (ch) => ch === d.v };
  const text = m.asText(v ?? unknownVal());
  if (text !== null) return { text };
  const r = container(m, v);
  if (!r.elemsLoc || r.len === null) {
    if (d.k !== 'agg' || !d.array) return null;
  }
  const items: Val[] =
    r.elemsLoc && r.len !== null
      ? Array.from({ length: r.len }, (_, i) => m.read(withPath(r.elemsLoc!, [(r.offset ?? 0) + i])))
      : (d as Val & { k: 'agg' }).fields;
  const set = new Set<string>();
  for (const x of items) {
    if (x.k !== 'char') return null;
    set.add(x.v);
  }
  return { char: (ch) => set.has(ch) };
}

/** `trim_matches(pat)`, `trim_start_matches(pat)`, `trim_end_matches(pat)`: a `&str` into the same bytes. */
const trimMatchesSim =
  (which: 'both' | 'start' | 'end'): Sim =>
  (m, c) => {
    const p = strBytes(m, c.args[0]);
    const pat = trimPattern(m, c.args[1]);
    if (!p || !pat) return null;
    let chars = Array.from(fromUtf8(p.bytes));
    let lead = 0;
    if ('char' in pat) {
      if (which !== 'end')
        while (chars.length && pat.char(chars[0])) {
          lead += byteLen(chars[0]);
          chars = chars.slice(1);
        }
      if (which !== 'start') while (chars.length && pat.char(chars[chars.length - 1])) chars = chars.slice(0, -1);
      return { k: 'ptr', to: withPath(p.base, [p.start + lead]), mutable: false, len: byteLen(chars.join('')) };
    }
    let text = chars.join('');
    if (pat.text.length) {
      if (which !== 'end')
        while (text.startsWith(pat.text)) {
          lead += byteLen(pat.text);
          text = text.slice(pat.text.length);
        }
      if (which !== 'start') while (text.endsWith(pat.text)) text = text.slice(0, text.length - pat.text.length);
    }
    return { k: 'ptr', to: withPath(p.base, [p.start + lead]), mutable: false, len: byteLen(text) };
  };

/**
 * Where UTF-8 validation of `bytes` fails (core::str::validations `run_utf8_validation`):
 * `validUpTo` bytes are valid; `errorLen` is the length of the invalid sequence (1 to 3), null
 * when the input ends inside a sequence. Undefined when all of it is valid.
 */
export function utf8Error(bytes: readonly number[]): { validUpTo: number; errorLen: number | null } | undefined {
  const cont = (b: number | undefined): boolean => b !== undefined && b >= 0x80 && b <= 0xbf;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const width = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (width === 0) return { validUpTo: i, errorLen: 1 };
    // The second byte's range narrows for E0, ED, F0 and F4 (no overlongs, surrogates or > U+10FFFF).
    const [lo, hi] =
      b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    for (let k = 1; k < width; k++) {
      const n = bytes[i + k];
      if (n === undefined) return { validUpTo: i, errorLen: null };
      const ok = k === 1 ? n >= lo && n <= hi : cont(n);
      if (!ok) return { validUpTo: i, errorLen: k };
    }
    i += width;
  }
  return undefined;
}

/** `str::from_utf8(bytes)`: a `&str` over the same bytes, or `Err(Utf8Error { valid_up_to, error_len })`. */
const fromUtf8Sim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  if (!r.elemsLoc || r.len === null) return null;
  const off = r.offset ?? 0;
  const bytes: number[] = [];
  for (let i = 0; i < r.len; i++) {
    const b = m.read(withPath(r.elemsLoc, [off + i]));
    if (b.k !== 'int') return null;
    bytes.push(Number(b.v));
  }
  const bad = utf8Error(bytes);
  if (bad)
    return err({
      k: 'agg',
      adt: 'Utf8Error',
      names: ['valid_up_to', 'error_len'],
      fields: [intVal(bad.validUpTo, 'usize'), bad.errorLen === null ? none() : some(intVal(bad.errorLen, 'u8'))],
    });
  return ok({ k: 'ptr', to: withPath(r.elemsLoc, [off]), mutable: false, len: r.len });
};

/** `split(pat)`, `split_whitespace()`, `lines()`: an iterator of `&str` pieces of the same bytes. */
const piecesSim =
  (which: 'split' | 'split_whitespace' | 'lines'): Sim =>
  (m, c) => {
    const p = strBytes(m, c.args[0]);
    if (!p) return null;
    const text = fromUtf8(p.bytes);
    const parts: [number, number][] = [];
    if (which === 'split') {
      const needle = pattern(m, c.args[1]);
      if (needle === null || needle === '') return null;
      let pos = 0;
      for (const piece of text.split(needle)) {
        parts.push([byteLen(text.slice(0, pos)), byteLen(piece)]);
        pos += piece.length + needle.length;
      }
    } else {
      const re = which === 'lines' ? /[^\n]*(?:\n|$)/gu : /\S+/gu;
      for (const mm of text.matchAll(re)) {
        let piece = mm[0];
        if (which === 'lines') {
          if (piece === '' && mm.index === text.length) break;
          piece = piece.replace(/\r?\n$/, '');
        }
        parts.push([byteLen(text.slice(0, mm.index)), byteLen(piece)]);
      }
    }
    return { k: 'iter', src: { kind: 'slices', base: withPath(p.base, [p.start]), parts }, pos: 0, end: parts.length };
  };

/** RawVec growth of a String's capacity while `n` bytes are pushed (`push_str` on a String of `len` bytes). */
function grownCap(cap: number, len: number, n: number): number {
  return cap - len >= n ? cap : Math.max(cap * 2, len + n, minNonZeroCap(1));
}

/**
 * `str::replace(from, to)` (alloc/src/str.rs): one ASCII byte by one ASCII byte is an exact copy;
 * else `String::with_capacity(self.len())` when `from` is no longer than `to` (0 otherwise), then
 * `push_str` of the pieces.
 */
const replaceSim: Sim = (m, c) => {
  const text = m.asText(c.args[0] ?? unknownVal());
  const from = pattern(m, c.args[1]);
  const to = m.asText(c.args[2] ?? unknownVal());
  if (text === null || from === null || to === null || from === '') return unknownOwn(m, STRING_TY);
  const out = text.split(from).join(to);
  // One byte each: both ASCII (a 1-byte UTF-8 sequence is ASCII).
  if (byteLen(from) === 1 && byteLen(to) === 1) return newString(m, out);
  let cap = byteLen(from) <= byteLen(to) ? byteLen(text) : 0;
  let len = 0;
  const pieces = text.split(from);
  pieces.forEach((piece, i) => {
    for (const w of i === 0 ? [piece] : [to, piece]) {
      const n = byteLen(w);
      if (n === 0) continue;
      cap = grownCap(cap, len, n);
      len += n;
    }
  });
  return newString(m, out, cap);
};

/** `find(pat)`: the byte index of the first match. */
const findSim: Sim = (m, c) => {
  const text = m.asText(c.args[0] ?? unknownVal());
  const needle = pattern(m, c.args[1]);
  if (text === null || needle === null) return unknownVal();
  const i = text.indexOf(needle);
  return i < 0 ? none() : some(intVal(byteLen(text.slice(0, i)), 'usize'));
};

const affixSim =
  (which: 'starts_with' | 'ends_with'): Sim =>
  (m, c) => {
    const text = m.asText(c.args[0] ?? unknownVal());
    const needle = pattern(m, c.args[1]);
    if (text === null || needle === null) return unknownVal();
    return bool(which === 'starts_with' ? text.startsWith(needle) : text.endsWith(needle));
  };

/** `str::parse::<T>()` into integers, floats, bool and char, with rustc's error kinds. */
const parseSim: Sim = (m, c) => {
  const text = m.asText(c.args[0] ?? unknownVal());
  const dest = c.destTy;
  const target = dest.kind === 'adt' && dest.name === 'Result' ? dest.args[0] : undefined;
  if (text === null || !target) return null;
  const errOf = (kind: string, adt: string): Val =>
    err({ k: 'agg', fields: [{ k: 'agg', fields: [], adt: `${adt}Kind`, variant: kind }], names: ['kind'], adt });
  if (target.kind === 'int') {
    if (text === '') return errOf('Empty', 'ParseIntError');
    if (!/^[+-]?[0-9]+$/.test(text) || (target.name.startsWith('u') && text.startsWith('-'))) return errOf('InvalidDigit', 'ParseIntError');
    const v = BigInt(text);
    const r = m.wrapInt(v, target.name, true);
    if (r.k === 'int' && r.v !== v) return errOf(v < 0n ? 'NegOverflow' : 'PosOverflow', 'ParseIntError');
    return ok(intVal(v, target.name));
  }
  if (target.kind === 'float') {
    if (text === '') return errOf('Empty', 'ParseFloatError');
    const x = Number(text);
    if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)$/i.test(text) || Number.isNaN(x) !== /nan/i.test(text))
      return errOf('Invalid', 'ParseFloatError');
    return ok({ k: 'float', v: x });
  }
  if (target.kind === 'bool' && (text === 'true' || text === 'false')) return ok(bool(text === 'true'));
  return null;
};

/** `split_at(mid)`: two `&str` into the same bytes. */
const splitAtSim: Sim = (m, c) => {
  const p = strBytes(m, c.args[0]);
  const mid = intArg(m, c.args[1]);
  if (!p || mid === null) return null;
  if (mid > p.bytes.length) m.halt('panic', `panicked: byte index ${mid} is out of bounds of \`${fromUtf8(p.bytes)}\``);
  const at = (off: number, len: number): Val => ({ k: 'ptr', to: withPath(p.base, [p.start + off]), mutable: false, len });
  return { k: 'agg', fields: [at(0, mid), at(mid, p.bytes.length - mid)] };
};

/** A String's bytes as text with a byte index check (`insert`, `remove`). */
function stringAt(m: StdHost, v: Val | undefined): { loc: Loc; own: Val & { k: 'own' }; text: string } | null {
  const r = container(m, v);
  if (!r.own || r.own.kind !== 'String' || !r.loc) return null;
  const b = m.block(r.own.block);
  if (b?.unknownContents) return null;
  return { loc: r.loc, own: r.own, text: fromUtf8((b?.elems ?? []).map(byteOf)) };
}

/** `insert(idx, ch)` / `insert_str(idx, s)`: bytes after `idx` shift right, growing like RawVec. */
const insertSim: Sim = (m, c) => {
  const s = stringAt(m, c.args[0]);
  const idx = intArg(m, c.args[1]);
  const what = pattern(m, c.args[2]);
  if (!s || idx === null || what === null) return null;
  const bytes = utf8(s.text);
  if (idx > bytes.length) m.halt('panic', 'panicked: assertion failed: self.is_char_boundary(idx)');
  const add = utf8(what);
  const id = ensureCap(m, s.loc, s.own, add.length);
  const b = m.block(id);
  if (b) b.elems.splice(idx, 0, ...add.map((x) => intVal(x, 'u8')));
  return unitVal();
};

/** `remove(idx)`: the char at byte `idx`. */
const removeSim: Sim = (m, c) => {
  const s = stringAt(m, c.args[0]);
  const idx = intArg(m, c.args[1]);
  if (!s || idx === null) return null;
  const bytes = utf8(s.text);
  if (idx >= bytes.length) m.halt('panic', 'panicked: cannot remove a char from the end of a string');
  const ch = Array.from(fromUtf8(bytes.slice(idx)))[0];
  const b = m.block(s.own.block);
  if (b) b.elems.splice(idx, byteLen(ch));
  return { k: 'char', v: ch };
};

/** `into_bytes(self)`: the same buffer, now a `Vec<u8>` (no reallocation). */
const intoBytesSim: Sim = (m, c) => {
  const v = c.args[0];
  if (!v || v.k !== 'own' || v.kind !== 'String') return null;
  const b = m.block(v.block);
  if (b) b.kind = 'Vec';
  return { k: 'own', kind: 'Vec', block: v.block, ty: { kind: 'adt', name: 'Vec', args: [U8], std: true } };
};

const asSlice: Sim = (m, c) => sliceOf(m, c.args[0]);

export const STRING_SIMS: SimTable<typeof STRING_IMPL> = {
  cmp: cmpSim,
  partial_cmp: partialCmpSim,
  new: (m) => newString(m, ''),
  with_capacity: (m, c) => {
    const n = intArg(m, c.args[0]);
    if (n === null) return unknownOwn(m, STRING_TY);
    return newString(m, '', n);
  },
  from: fromSim,
  push_str: pushSim('push_str'),
  push: pushSim('push'),
  len: lenSim('len'),
  capacity: lenSim('capacity'),
  is_empty: lenSim('is_empty'),
  as_str: asSlice,
  as_mut_str: (m, c) => ({ ...(sliceOf(m, c.args[0]) as Val & { k: 'ptr' }), mutable: true }),
  as_bytes: asSlice,
  into_bytes: intoBytesSim,
  into_boxed_str: intoBoxedSim,
  insert: insertSim,
  insert_str: insertSim,
  pop: popSim,
  remove: removeSim,
  clear: clearSim('clear'),
  truncate: clearSim('truncate'),
  reserve: reserveSim,
  shrink_to_fit: shrinkSim,
  split_off: splitOffSim,
  retain: retainSim,
  drain: notSimulated('range arguments (`..n`, `a..b`) are not passed to the simulation as bounds'),
  extend: extendSim('iter'),
};

export const STR_SIMS: SimTable<typeof STR_IMPL> = {
  cmp: cmpSim,
  partial_cmp: partialCmpSim,
  len: lenSim('len'),
  is_empty: lenSim('is_empty'),
  to_uppercase: mapText((t) => t.toUpperCase()),
  to_lowercase: mapText((t) => t.toLowerCase()),
  to_ascii_uppercase: mapText((t) => t.replace(/[a-z]/g, (x) => x.toUpperCase())),
  to_ascii_lowercase: mapText((t) => t.replace(/[A-Z]/g, (x) => x.toLowerCase())),
  repeat: mapText((t, m, a) => {
    const n = intArg(m, a[1]);
    return n === null || n * t.length > 10_000_000 ? null : t.repeat(n);
  }),
  replace: replaceSim,
  chars: (m, c) => iterOver(m, c.args[0], 'chars'),
  char_indices: (m, c) => iterOver(m, c.args[0], 'indices'),
  bytes: (m, c) => iterOver(m, c.args[0], 'bytes'),
  lines: piecesSim('lines'),
  split: piecesSim('split'),
  split_whitespace: piecesSim('split_whitespace'),
  trim: trimSim('trim'),
  trim_start: trimSim('trim_start'),
  trim_end: trimSim('trim_end'),
  trim_matches: trimMatchesSim('both'),
  from_utf8: fromUtf8Sim,
  trim_start_matches: trimMatchesSim('start'),
  trim_end_matches: trimMatchesSim('end'),
  contains: (m, c) => {
    const text = m.asText(c.args[0] ?? unknownVal());
    const needle = pattern(m, c.args[1]);
    return text === null || needle === null ? unknownVal() : bool(text.includes(needle));
  },
  starts_with: affixSim('starts_with'),
  ends_with: affixSim('ends_with'),
  find: findSim,
  parse: parseSim,
  as_ptr: asPtrSim(false),
  as_bytes: asSlice,
  split_at: splitAtSim,
  get: notSimulated('range arguments (`a..b`) are not passed to the simulation as bounds'),
  is_char_boundary: (m, c) => {
    const text = m.asText(c.args[0] ?? unknownVal());
    const i = intArg(m, c.args[1]);
    if (text === null || i === null) return unknownVal();
    const bytes = utf8(text);
    return bool(i === 0 || i === bytes.length || (i < bytes.length && (bytes[i] & 0xc0) !== 0x80));
  },
  eq_ignore_ascii_case: (m, c) => {
    const a = m.asText(c.args[0] ?? unknownVal());
    const b = m.asText(c.args[1] ?? unknownVal());
    return a === null || b === null
      ? unknownVal()
      : bool(a.replace(/[A-Z]/g, (x) => x.toLowerCase()) === b.replace(/[A-Z]/g, (x) => x.toLowerCase()));
  },
};
