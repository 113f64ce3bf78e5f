/**
 * Constant promotion: which borrowed temporaries rustc puts in static memory instead of the
 * stack frame (Rust reference, "Destructors" § "Constant promotion"; rustc
 * `compiler/rustc_mir_transform/src/promote_consts.rs`): a shared borrow `&e` of an expression
 * that could be written in a constant, whose value has no destructor and no interior
 * mutability, is promoted — `&10`, `&[1, 2]`, `&(1, 'a')`, `&None`, `&Some(3)`, `&CONST`,
 * `&Point { x: 1, y: 2 }`. Function calls (other than tuple-struct and variant constructors),
 * division and remainder (they may panic), blocks and `&mut` (except `&mut []`) are not.
 *
 * A borrow `&STATIC` is not a promotion but points into static memory the same way: the
 * borrowed place is the `static` item itself.
 *
 * Conservative: an expression this module does not recognise is not promoted (the borrow then
 * points to a temporary in the frame, as the engine showed before).
 */
import type { AdtDef, Expr } from '../hir/hir';
import { needsDrop } from '../std/facts';

/** Where a borrowed temporary lives when it is not in the frame (`MirLocal.promoted`). */
/** `immutable`: a `static` item declared without `mut` (a `&mut` of it is E0596). */
export type Promotion = { kind: 'const'; text: string } | { kind: 'static'; name: string; immutable?: true };

const MAX_DEPTH = 32;

/**
 * The promotion of the operand of `&e` / `&mut e` (`mutable`), or undefined when it stays a
 * frame temporary. `text` is the constant as Rust writes it (`[1, 2]`), for the memory panel;
 * `statics`, the file's `static` items, marks a borrowed one declared without `mut`.
 */
export function promotionOf(
  e: Expr,
  mutable: boolean,
  adts: Map<string, AdtDef>,
  statics?: ReadonlyMap<string, { mutable: boolean }>,
): Promotion | undefined {
  if (e.kind === 'path' && e.res.kind === 'static')
    return { kind: 'static', name: e.res.name, ...(statics?.get(e.res.name)?.mutable === false ? { immutable: true as const } : {}) };
  if (mutable) return e.kind === 'array' && e.elems.length === 0 ? { kind: 'const', text: '[]' } : undefined;
  if (!promotable(e, 0)) return undefined;
  if (needsDrop(e.ty, adts) !== false) return undefined;
  return { kind: 'const', text: constText(e, 0) };
}

/** A promotable expression as Rust writes it (short forms: `…` past a few elements or levels). */
function constText(e: Expr, depth: number): string {
  if (depth > 4) return '…';
  const t = (x: Expr): string => constText(x, depth + 1);
  const list = (xs: Expr[]): string => (xs.length > 8 ? `${xs.slice(0, 8).map(t).join(', ')}, …` : xs.map(t).join(', '));
  switch (e.kind) {
    case 'lit': {
      const l = e.lit;
      if (l.kind === 'str' || l.kind === 'bytestr') return `${l.kind === 'bytestr' ? 'b' : ''}${JSON.stringify(l.value)}`;
      if (l.kind === 'char') return `'${l.value}'`;
      return `${String(l.value)}${'suffix' in l && l.suffix ? l.suffix : ''}`;
    }
    case 'unary':
      return `${e.op === 'neg' ? '-' : '!'}${t(e.operand)}`;
    case 'binary':
      return `${t(e.lhs)} ${e.op} ${t(e.rhs)}`;
    case 'cast':
      return t(e.expr);
    case 'tuple':
      return `(${list(e.elems)}${e.elems.length === 1 ? ',' : ''})`;
    case 'array':
      return `[${list(e.elems)}]`;
    case 'arrayRepeat':
      return `[${t(e.elem)}; ${t(e.count)}]`;
    case 'path':
      return e.text;
    case 'call':
      return `${t(e.callee)}(${list(e.args)})`;
    case 'structLit':
      return `${e.path} { ${e.fields.map((f) => `${f.name}: ${t(f.expr)}`).join(', ')} }`;
    default:
      return '…';
  }
}

const PROMOTABLE_OPS = new Set(['+', '-', '*', '&', '|', '^', '<<', '>>', '==', '!=', '<', '<=', '>', '>=', '&&', '||']);
const STD_CTORS = new Set(['Some', 'Ok', 'Err', 'None', 'Option::Some', 'Option::None', 'Result::Ok', 'Result::Err']);

function promotable(e: Expr, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const p = (x: Expr): boolean => promotable(x, depth + 1);
  switch (e.kind) {
    case 'lit':
      return true;
    case 'unary':
      return e.op !== 'deref' && p(e.operand);
    case 'binary':
      return PROMOTABLE_OPS.has(e.op) && p(e.lhs) && p(e.rhs);
    case 'cast':
      return p(e.expr);
    case 'tuple':
    case 'array':
      return e.elems.every(p);
    case 'arrayRepeat':
      return p(e.elem) && e.count.kind === 'lit';
    case 'path':
      return e.res.kind === 'const' || e.res.kind === 'ctor' || (e.res.kind === 'std' && STD_CTORS.has(e.res.path));
    case 'call':
      return (
        e.callee.kind === 'path' &&
        (e.callee.res.kind === 'ctor' || (e.callee.res.kind === 'std' && STD_CTORS.has(e.callee.res.path))) &&
        e.args.every(p)
      );
    case 'structLit':
      return e.base === null && e.fields.every((f) => p(f.expr));
    default:
      return false;
  }
}
