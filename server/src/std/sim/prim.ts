/**
 * Simulation of the primitive types' methods (`../prim.ts`): integer arithmetic with rustc's
 * debug-build overflow panics (`checked_*` give None, `wrapping_*` wrap, `saturating_*` clamp),
 * float functions, char classification (Unicode properties as JavaScript's regexes know them),
 * and `Ordering`.
 */
import type { IntName } from '../../hir/ty';
import type { StdHost } from '../../interp/host';
import { type Val, intVal, unknownVal } from '../../interp/memory';
import type { BOOL_IMPL, CHAR_IMPL, CMP_IMPL, FLOAT_IMPL, INT_IMPL, ORDERING_IMPL } from '../prim';
import type { Sim, SimTable } from './api';
import { bool, cmpSim, compareVals, deref, none, ordering, partialCmpSim, some } from './common';

const INT_BITS: Record<IntName, number> = {
  i8: 8,
  i16: 16,
  i32: 32,
  i64: 64,
  i128: 128,
  isize: 64,
  u8: 8,
  u16: 16,
  u32: 32,
  u64: 64,
  u128: 128,
  usize: 64,
};

function range(ty: IntName): [bigint, bigint] {
  const bits = BigInt(INT_BITS[ty]);
  return ty.startsWith('u') ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
}

/** The receiver and first argument as integers of the receiver's type. */
function ints(m: StdHost, a: Val[]): { x: bigint; y?: bigint; ty: IntName } | null {
  const x = deref(m, a[0]);
  if (x.k !== 'int' || !x.ty) return null;
  const y = deref(m, a[1]);
  return { x: x.v, y: y.k === 'int' ? y.v : undefined, ty: x.ty };
}

/** Integer ops with debug-build semantics: `op` gives the exact result; `how` decides what an out-of-range result becomes. */
const arith =
  (op: (x: bigint, y: bigint) => bigint | null, how: 'panic' | 'checked' | 'wrapping' | 'saturating' | 'overflowing'): Sim =>
  (m, c) => {
    const v = ints(m, c.args);
    if (!v || v.y === undefined) return unknownVal();
    const r = op(v.x, v.y);
    if (r === null) return how === 'checked' ? none() : m.halt('panic', 'panicked: attempt to divide by zero');
    const [lo, hi] = range(v.ty);
    const inRange = r >= lo && r <= hi;
    switch (how) {
      case 'checked':
        return inRange ? some(intVal(r, v.ty)) : none();
      case 'saturating':
        return intVal(r < lo ? lo : r > hi ? hi : r, v.ty);
      case 'wrapping':
        return m.wrapInt(r, v.ty, true);
      case 'overflowing':
        return { k: 'agg', fields: [m.wrapInt(r, v.ty, true), bool(!inRange)] };
      default:
        return m.wrapInt(r, v.ty, false);
    }
  };

const unary =
  (f: (x: bigint, ty: IntName) => bigint | boolean | null): Sim =>
  (m, c) => {
    const v = ints(m, c.args);
    if (!v) return unknownVal();
    const r = f(v.x, v.ty);
    if (r === null) return unknownVal();
    return typeof r === 'boolean' ? bool(r) : m.wrapInt(r, v.ty, false);
  };

const popcount = (x: bigint, ty: IntName): bigint => {
  const [, hi] = range(ty);
  let u = x < 0n ? x + (hi - range(ty)[0] + 1n) : x;
  let n = 0n;
  while (u > 0n) {
    n += u & 1n;
    u >>= 1n;
  }
  return n;
};

const asU32 = (r: bigint): Val => intVal(r, 'u32');

export const INT_SIMS: SimTable<typeof INT_IMPL> = {
  abs: unary((x) => (x < 0n ? -x : x)),
  signum: unary((x) => (x > 0n ? 1n : x < 0n ? -1n : 0n)),
  is_positive: unary((x) => x > 0n),
  is_negative: unary((x) => x < 0n),
  pow: (m, c) => {
    const v = ints(m, c.args);
    if (!v || v.y === undefined) return unknownVal();
    // |x| ≥ 2 to a power past 128 fits no integer type: the debug build's overflow panic, without computing it.
    if (v.y > 128n && (v.x > 1n || v.x < -1n)) return m.halt('panic', 'panicked: attempt to multiply with overflow');
    if (v.y < 0n) return unknownVal();
    return m.wrapInt(v.x ** v.y, v.ty, false);
  },
  min: (m, c) => {
    const v = ints(m, c.args);
    return v && v.y !== undefined ? intVal(v.x < v.y ? v.x : v.y, v.ty) : unknownVal();
  },
  max: (m, c) => {
    const v = ints(m, c.args);
    return v && v.y !== undefined ? intVal(v.x > v.y ? v.x : v.y, v.ty) : unknownVal();
  },
  clamp: (m, c) => {
    const v = ints(m, c.args);
    const hi = deref(m, c.args[2]);
    if (!v || v.y === undefined || hi.k !== 'int') return unknownVal();
    if (v.y > hi.v) m.halt('panic', 'panicked: assertion failed: min <= max');
    return intVal(v.x < v.y ? v.y : v.x > hi.v ? hi.v : v.x, v.ty);
  },
  checked_add: arith((x, y) => x + y, 'checked'),
  checked_sub: arith((x, y) => x - y, 'checked'),
  checked_mul: arith((x, y) => x * y, 'checked'),
  checked_div: arith((x, y) => (y === 0n ? null : x / y), 'checked'),
  wrapping_add: arith((x, y) => x + y, 'wrapping'),
  wrapping_sub: arith((x, y) => x - y, 'wrapping'),
  wrapping_mul: arith((x, y) => x * y, 'wrapping'),
  saturating_add: arith((x, y) => x + y, 'saturating'),
  saturating_sub: arith((x, y) => x - y, 'saturating'),
  overflowing_add: arith((x, y) => x + y, 'overflowing'),
  rem_euclid: arith((x, y) => (y === 0n ? null : ((x % y) + (y < 0n ? -y : y)) % (y < 0n ? -y : y)), 'panic'),
  count_ones: (m, c) => {
    const v = ints(m, c.args);
    return v ? asU32(popcount(v.x, v.ty)) : unknownVal();
  },
  leading_zeros: (m, c) => {
    const v = ints(m, c.args);
    if (!v) return unknownVal();
    const bits = INT_BITS[v.ty];
    const u = v.x < 0n ? v.x + (1n << BigInt(bits)) : v.x;
    return asU32(BigInt(bits - (u === 0n ? 0 : u.toString(2).length)));
  },
  trailing_zeros: (m, c) => {
    const v = ints(m, c.args);
    if (!v) return unknownVal();
    if (v.x === 0n) return asU32(BigInt(INT_BITS[v.ty]));
    let n = 0n;
    let u = v.x < 0n ? v.x + (1n << BigInt(INT_BITS[v.ty])) : v.x;
    while ((u & 1n) === 0n) {
      u >>= 1n;
      n++;
    }
    return asU32(n);
  },
  is_power_of_two: unary((x) => x > 0n && (x & (x - 1n)) === 0n),
  cmp: cmpSim,
  partial_cmp: partialCmpSim,
};

const float =
  (f: (x: number, y: number) => number | boolean): Sim =>
  (m, c) => {
    const x = deref(m, c.args[0]);
    const y = deref(m, c.args[1]);
    if (x.k !== 'float') return unknownVal();
    const r = f(x.v, y.k === 'float' ? y.v : y.k === 'int' ? Number(y.v) : NaN);
    return typeof r === 'boolean' ? bool(r) : { k: 'float', v: r };
  };

export const FLOAT_SIMS: SimTable<typeof FLOAT_IMPL> = {
  abs: float((x) => Math.abs(x)),
  sqrt: float((x) => Math.sqrt(x)),
  powi: float((x, y) => x ** y),
  powf: float((x, y) => x ** y),
  floor: float((x) => Math.floor(x)),
  ceil: float((x) => Math.ceil(x)),
  // Rust rounds half away from zero; JavaScript's Math.round rounds half up.
  round: float((x) => Math.sign(x) * Math.round(Math.abs(x))),
  trunc: float((x) => Math.trunc(x)),
  min: float((x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.min(x, y))),
  max: float((x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.max(x, y))),
  sin: float((x) => Math.sin(x)),
  cos: float((x) => Math.cos(x)),
  is_nan: float((x) => Number.isNaN(x)),
  partial_cmp: (m, c) => {
    const x = deref(m, c.args[0]);
    const y = deref(m, c.args[1]);
    if (x.k !== 'float' || y.k !== 'float') return unknownVal();
    if (Number.isNaN(x.v) || Number.isNaN(y.v)) return none();
    return some(ordering(x.v < y.v ? -1 : x.v > y.v ? 1 : 0));
  },
};

const charTest =
  (re: RegExp): Sim =>
  (m, c) => {
    const ch = deref(m, c.args[0]);
    return ch.k === 'char' ? bool(re.test(ch.v)) : unknownVal();
  };

const charMap =
  (f: (ch: string) => string): Sim =>
  (m, c) => {
    const ch = deref(m, c.args[0]);
    return ch.k === 'char' ? { k: 'char', v: f(ch.v) } : unknownVal();
  };

export const CHAR_SIMS: SimTable<typeof CHAR_IMPL> = {
  is_alphabetic: charTest(/^\p{Alphabetic}$/u),
  is_numeric: charTest(/^\p{N}$/u),
  is_alphanumeric: charTest(/^[\p{Alphabetic}\p{N}]$/u),
  is_whitespace: charTest(/^\s$/u),
  is_uppercase: charTest(/^\p{Uppercase}$/u),
  is_lowercase: charTest(/^\p{Lowercase}$/u),
  is_ascii: (m, c) => {
    const ch = deref(m, c.args[0]);
    return ch.k === 'char' ? bool(ch.v.codePointAt(0)! < 0x80) : unknownVal();
  },
  is_ascii_digit: charTest(/^[0-9]$/),
  is_ascii_alphabetic: charTest(/^[A-Za-z]$/),
  is_ascii_alphanumeric: charTest(/^[A-Za-z0-9]$/),
  is_ascii_punctuation: charTest(/^[!-/:-@[-`{-~]$/),
  is_digit: (m, c) => {
    const ch = deref(m, c.args[0]);
    const radix = deref(m, c.args[1]);
    if (ch.k !== 'char' || radix.k !== 'int') return unknownVal();
    return bool(ch.v.length === 1 && !Number.isNaN(parseInt(ch.v, Number(radix.v))));
  },
  to_digit: (m, c) => {
    const ch = deref(m, c.args[0]);
    const radix = deref(m, c.args[1]);
    if (ch.k !== 'char') return unknownVal();
    const d = parseInt(ch.v, radix.k === 'int' ? Number(radix.v) : 10);
    return Number.isNaN(d) || ch.v.length !== 1 ? none() : some(intVal(d, 'u32'));
  },
  to_ascii_uppercase: charMap((x) => (/^[a-z]$/.test(x) ? x.toUpperCase() : x)),
  to_ascii_lowercase: charMap((x) => (/^[A-Z]$/.test(x) ? x.toLowerCase() : x)),
  to_uppercase: (m, c) => {
    const ch = deref(m, c.args[0]);
    return ch.k === 'char' ? { k: 'iter', src: { kind: 'chars', text: ch.v.toUpperCase() }, pos: 0, end: null } : unknownVal();
  },
  to_lowercase: (m, c) => {
    const ch = deref(m, c.args[0]);
    return ch.k === 'char' ? { k: 'iter', src: { kind: 'chars', text: ch.v.toLowerCase() }, pos: 0, end: null } : unknownVal();
  },
  len_utf8: (m, c) => {
    const ch = deref(m, c.args[0]);
    return ch.k === 'char' ? intVal(Buffer.byteLength(ch.v, 'utf8'), 'usize') : unknownVal();
  },
  eq_ignore_ascii_case: (m, c) => {
    const a = deref(m, c.args[0]);
    const b = deref(m, c.args[1]);
    return a.k === 'char' && b.k === 'char'
      ? bool(a.v.replace(/[A-Z]/, (x) => x.toLowerCase()) === b.v.replace(/[A-Z]/, (x) => x.toLowerCase()))
      : unknownVal();
  },
  cmp: cmpSim,
};

export const BOOL_SIMS: SimTable<typeof BOOL_IMPL> = {
  then: (m, c) => {
    const b = deref(m, c.args[0]);
    if (b.k !== 'bool' || !c.args[1]) return unknownVal();
    return b.v ? some(m.callValue(c.args[1], [])) : none();
  },
  then_some: (m, c) => {
    const b = deref(m, c.args[0]);
    if (b.k !== 'bool') return unknownVal();
    return b.v ? some(c.args[1] ?? unknownVal()) : none();
  },
};

const ordVariant = (m: StdHost, v: Val | undefined): string | null => {
  const o = deref(m, v);
  return o.k === 'agg' && o.adt === 'Ordering' && o.variant ? o.variant : null;
};

export const ORDERING_SIMS: SimTable<typeof ORDERING_IMPL> = {
  is_eq: (m, c) => {
    const o = ordVariant(m, c.args[0]);
    return o === null ? unknownVal() : bool(o === 'Equal');
  },
  is_lt: (m, c) => {
    const o = ordVariant(m, c.args[0]);
    return o === null ? unknownVal() : bool(o === 'Less');
  },
  is_gt: (m, c) => {
    const o = ordVariant(m, c.args[0]);
    return o === null ? unknownVal() : bool(o === 'Greater');
  },
  reverse: (m, c) => {
    const o = ordVariant(m, c.args[0]);
    return o === null ? unknownVal() : ordering(o === 'Less' ? 1 : o === 'Greater' ? -1 : 0);
  },
  then: (m, c) => {
    const o = ordVariant(m, c.args[0]);
    if (o === null) return unknownVal();
    return o === 'Equal' ? (c.args[1] ?? unknownVal()) : deref(m, c.args[0]);
  },
};

/** `cmp::min(a, b)`: `b` when `b < a`, else `a`; `cmp::max(a, b)`: `b` when `b >= a`, else `a` (core::cmp). */
const minMax =
  (which: 'min' | 'max'): Sim =>
  (m, c) => {
    const a = c.args[0] ?? unknownVal();
    const b = c.args[1] ?? unknownVal();
    const o = compareVals(m, a, b);
    if (o === null) return null;
    return which === 'min' ? (o > 0 ? b : a) : o > 0 ? a : b;
  };

export const CMP_SIMS: SimTable<typeof CMP_IMPL> = { min: minMax('min'), max: minMax('max') };
