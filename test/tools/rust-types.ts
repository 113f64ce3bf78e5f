/**
 * Test helpers: parse Rust type strings (`Option<Box<u8>>`, `&[u8]`, `(u8, u32)`) into `Ty`, and
 * declare structs/enums once as both Rust source (for rustc) and `AdtDef` (for the engine).
 * Test-only; the engine's real lowering lives in `server/src/syntax/lower.ts`.
 */
import type { Ty, IntName, FloatName } from '../../server/src/hir/ty';
import type { AdtDef, FieldDef, VariantDef } from '../../server/src/hir/hir';

const INTS = new Set(['i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize']);
const ZERO = { line: 0, character: 0 };
const SPAN = { start: ZERO, end: ZERO };

/** Splits `s` at top-level occurrences of `sep` (outside <>, (), [], {}). */
export function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ('<([{'.includes(c)) depth++;
    else if ('>)]}'.includes(c) && !(c === '>' && s[i - 1] === '-')) depth--;
    if (depth === 0 && s.startsWith(sep, i)) {
      out.push(cur);
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '' || out.length) out.push(cur);
  return out.map((x) => x.trim()).filter((x, i, a) => !(x === '' && i === a.length - 1));
}

/** Parses a Rust type; `userAdts` are names that are user ADTs, `params` generic parameter names. */
export function parseTy(src: string, userAdts: ReadonlySet<string> = new Set(), params: ReadonlySet<string> = new Set()): Ty {
  const s = src.trim();
  if (s === '!') return { kind: 'never' };
  if (s.startsWith('&')) {
    let rest = s.slice(1).trim();
    if (rest.startsWith("'")) rest = rest.replace(/^'\w+\s*/, '');
    const mutable = rest.startsWith('mut ');
    return { kind: 'ref', mutable, inner: parseTy(mutable ? rest.slice(4) : rest, userAdts, params) };
  }
  if (s.startsWith('*const ') || s.startsWith('*mut ')) {
    const mutable = s.startsWith('*mut ');
    return { kind: 'rawptr', mutable, inner: parseTy(s.slice(mutable ? 5 : 7), userAdts, params) };
  }
  if (s.startsWith('(')) {
    const elems = splitTop(s.slice(1, -1), ',').filter((e) => e !== '');
    return { kind: 'tuple', elems: elems.map((e) => parseTy(e, userAdts, params)) };
  }
  if (s.startsWith('[')) {
    const parts = splitTop(s.slice(1, -1), ';');
    const elem = parseTy(parts[0], userAdts, params);
    return parts.length === 2 ? { kind: 'array', elem, len: Number(parts[1]) } : { kind: 'slice', elem };
  }
  if (s.startsWith('dyn ') || s.startsWith('impl ')) return { kind: 'opaque', text: s, dyn: s.startsWith('dyn ') };
  if (s.startsWith('fn(')) {
    const close = s.indexOf(')');
    const ps = splitTop(s.slice(3, close), ',').filter((e) => e !== '');
    const retSrc = s.slice(close + 1).trim();
    return {
      kind: 'fn',
      params: ps.map((p) => parseTy(p, userAdts, params)),
      ret: retSrc.startsWith('->') ? parseTy(retSrc.slice(2), userAdts, params) : { kind: 'tuple', elems: [] },
    };
  }
  const lt = s.indexOf('<');
  const path = (lt < 0 ? s : s.slice(0, lt)).trim();
  const name = path.split('::').pop()!;
  const args = lt < 0 ? [] : splitTop(s.slice(lt + 1, -1), ',').filter((a) => a !== '' && !a.startsWith("'"));
  if (args.length === 0) {
    if (INTS.has(name)) return { kind: 'int', name: name as IntName };
    if (name === 'f32' || name === 'f64') return { kind: 'float', name: name as FloatName };
    if (name === 'bool') return { kind: 'bool' };
    if (name === 'char') return { kind: 'char' };
    if (name === 'str') return { kind: 'str' };
    if (params.has(name)) return { kind: 'param', name };
  }
  const argTys = args.map((a) => parseTy(a, userAdts, params));
  return userAdts.has(name) ? { kind: 'adt', name, args: argTys } : { kind: 'adt', name, args: argTys, std: true };
}

/** A struct or enum declared for both rustc and the engine. */
export interface TestAdt {
  def: AdtDef;
  /** Rust source of the item. */
  rust: string;
}

function fieldList(body: string, names: ReadonlySet<string>, params: ReadonlySet<string>, tuple: boolean): FieldDef[] {
  return splitTop(body, ',')
    .filter((f) => f !== '')
    .map((f, i) => {
      if (tuple) return { name: String(i), ty: parseTy(f, names, params), span: SPAN };
      const colon = f.indexOf(':');
      return { name: f.slice(0, colon).trim(), ty: parseTy(f.slice(colon + 1), names, params), span: SPAN };
    });
}

function baseDef(name: string, kind: AdtDef['kind'], generics: string[], repr: string[]): AdtDef {
  return {
    name,
    path: name,
    kind,
    generics,
    lifetimes: [],
    fields: [],
    variants: [],
    derives: [],
    hasDropImpl: false,
    implsCopy: false,
    implsClone: false,
    repr,
    span: SPAN,
    nameSpan: SPAN,
  };
}

/**
 * `struct Name<G> { body }` (or a tuple struct with `tuple: true`, a unit struct with body null).
 * `names` must hold every user ADT name that field types mention.
 */
export function struct(
  name: string,
  body: string | null,
  names: ReadonlySet<string>,
  opts: { generics?: string[]; repr?: string[]; tuple?: boolean } = {},
): TestAdt {
  const generics = opts.generics ?? [];
  const def = baseDef(name, 'struct', generics, opts.repr ?? []);
  def.fields = body === null ? [] : fieldList(body, names, new Set(generics), opts.tuple ?? false);
  const g = generics.length ? `<${generics.join(', ')}>` : '';
  const attrs = opts.repr?.length ? `#[repr(${opts.repr.join(', ')})]\n` : '';
  const rust =
    body === null
      ? `${attrs}struct ${name}${g};`
      : opts.tuple
        ? `${attrs}struct ${name}${g}(${body});`
        : `${attrs}struct ${name}${g} { ${body} }`;
  return { def, rust };
}

/** `enum Name<G> { A, B(u8), C { x: i32 }, D = 5 }` */
export function enumDef(
  name: string,
  body: string,
  names: ReadonlySet<string>,
  opts: { generics?: string[]; repr?: string[] } = {},
): TestAdt {
  const generics = opts.generics ?? [];
  const params = new Set(generics);
  const def = baseDef(name, 'enum', generics, opts.repr ?? []);
  def.variants = splitTop(body, ',')
    .filter((v) => v !== '')
    .map((v): VariantDef => {
      const eq = splitTop(v, '=');
      const head = eq[0].trim();
      const discriminant = eq.length > 1 ? Number(eq[1]) : undefined;
      const paren = head.indexOf('(');
      const brace = head.indexOf('{');
      if (paren >= 0)
        return {
          name: head.slice(0, paren).trim(),
          shape: 'tuple',
          fields: fieldList(head.slice(paren + 1, -1), names, params, true),
          discriminant,
        };
      if (brace >= 0)
        return {
          name: head.slice(0, brace).trim(),
          shape: 'struct',
          fields: fieldList(head.slice(brace + 1, -1), names, params, false),
          discriminant,
        };
      return { name: head, shape: 'unit', fields: [], discriminant };
    });
  const g = generics.length ? `<${generics.join(', ')}>` : '';
  const attrs = opts.repr?.length ? `#[repr(${opts.repr.join(', ')})]\n` : '';
  return { def, rust: `${attrs}enum ${name}${g} { ${body} }` };
}
