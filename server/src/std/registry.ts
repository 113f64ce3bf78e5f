/**
 * The std registry: every std type, method and builtin the engine knows, composed from one
 * module per family (`string.ts`, `vec.ts`, ... listed in `FAMILIES`), and what the rest of the
 * engine derives from them. Add a std type by writing its family module (types and impls as
 * Rust), its simulation (`sim/<family>.ts`) and one line in `FAMILIES` (and one in
 * `sim/index.ts`); nothing else lists std names.
 *
 * ## What is derived here
 * - names: `STD_TYPE_NAMES` (the names lowering recognises), `STD_PRELUDE_TYPES` (no `use`
 *   needed), `OwnKind` / `isHeapOwner` (types that own a heap block), `stdType`/`stdTypeOf`;
 * - `stdAdtDef(name)`: a type's Rust `def` as an `AdtDef` (layouts, enum variants for patterns);
 * - `STD_FNS` / `stdFn(id)`: every method, associated function and builtin by its typed id
 *   (`StdFnId`: `Vec::push`, `slice::iter`, `int::abs`, `Iterator::map`, `Clone::clone`,
 *   `println!`), with its parsed signature and its lifetime relations.
 *
 * ## Lifetime relations (for the borrow checker)
 * `StdFnDef.borrows` says, for each method, which arguments its result borrows, derived from the
 * written signature by the Rust reference's elision rules (`sig.ts` `returnBorrows`, which applies
 * `hir/elision.ts`, the one statement of those rules):
 *   - `fn as_str(&self) -> &str`            → `[{ from: 'self', mutable: false, kind: 'referent' }]`
 *   - `fn get_mut(&mut self, i: usize) -> Option<&mut T>` → `[{ from: 'self', mutable: true, kind: 'referent' }]`
 *   - `fn iter(&self) -> Iter<'_, T>`        → self, shared (the iterator type carries the lifetime)
 *   - `fn into_iter(self) -> IntoIter<T>`    → nothing (the result owns what it holds)
 *   - `fn unwrap(self) -> T` on `Option<&T>` → `[{ from: 'self', kind: 'carried' }]` (through `T`)
 *   - `fn or_insert(self, default: V) -> &'a mut V` on `Entry<'a, K, V>` → self, carried, mutable
 *   - `'static` results are tied to nothing; a named `'a` ties every argument that mentions it.
 * Relations marked `through: 'T'` hold only when `T` is instantiated with a type holding a borrow;
 * `lookup.ts` `instantiate` filters them for the receiver at hand (`StdMethod.returnBorrows`),
 * which is what type checking records for each call (`hir/method.ts` `MethodRes`) and what
 * `stdCallBorrows(id, selfTy)` gives for a MIR call terminator.
 */
import type { AdtDef, FieldDef, VariantDef } from '../hir/hir';
import type { IntName, Ty } from '../hir/ty';
import { ANY } from './any';
import { BOXED } from './boxed';
import { BTREE } from './btree';
import { CELL } from './cell';
import { FMT } from './fmt';
import { HASHMAP } from './hashmap';
import { ITER } from './iter';
import { MEM } from './mem';
import { OPTION } from './option';
import { PRIM } from './prim';
import { RC } from './rc';
import {
  parseSigFn,
  parseSigItem,
  parseSigTy,
  returnBorrows,
  storedBorrows,
  type SigBorrow,
  type SigFn,
  type SigStore,
  type SigTy,
} from './sig';
import { STRING } from './string';
import { SYNC } from './sync';
import { THREAD } from './thread';
import type { HeapShape, StdFamily, StdImplDef, StdTypeDef } from './types';
import { VEC } from './vec';
import { VECDEQUE } from './vecdeque';

/** The families, in lookup order. One line per family. */
export const FAMILIES = [STRING, VEC, VECDEQUE, BOXED, RC, CELL, SYNC, THREAD, OPTION, HASHMAP, BTREE, ITER, PRIM, MEM, FMT, ANY] as const;

type AllTypes = (typeof FAMILIES)[number]['types'][number];

/** Names of the std types whose values own a heap block (`String`, `Vec`, `Rc`, `sync::Weak`, ...): the interpreter's owning handles. */
export type OwnKind = Extract<AllTypes, { readonly heap: HeapShape }>['name'];

/** A method, associated function or builtin of the registry, by its id (`Vec::push`). Built only by the registry. */
export type StdFnId = string & { readonly __stdFn: true };

// --- types

const TYPES: readonly StdTypeDef[] = FAMILIES.flatMap((f) => f.types as readonly StdTypeDef[]);
const BY_NAME = new Map<string, StdTypeDef[]>();
for (const t of TYPES) {
  const list = BY_NAME.get(t.name) ?? [];
  list.push(t);
  BY_NAME.set(t.name, list);
}

/** Problems found while loading the registry (malformed strings, duplicate ids): must stay empty (`test/std/`). */
export const REGISTRY_ERRORS: string[] = [];

/** Last path segment, without generic arguments (`std::rc::Rc<u8>` → `Rc`), keeping registry names like `sync::Weak`. */
export function stdNameOf(path: string): string {
  const noArgs = path.replace(/<.*$/s, '').trim();
  if (BY_NAME.has(noArgs)) return noArgs;
  for (const q of ['sync::Weak']) if (noArgs.endsWith(q)) return q;
  const segs = noArgs.split('::');
  return segs[segs.length - 1].trim();
}

/**
 * The std type named `name` (`Rc`, `std::rc::Rc`, `sync::Weak`); with `arity`, the one with that
 * many type parameters (`Iter<'a, T>` vs the map iterator `Iter<'a, K, V>`), else the first.
 */
export function stdType(name: string, arity?: number): StdTypeDef | undefined {
  const list = BY_NAME.get(name) ?? BY_NAME.get(stdNameOf(name));
  if (!list) return undefined;
  return arity === undefined ? list[0] : (list.find((t) => t.params.length === arity) ?? undefined);
}

/** The registry entry of a std ADT type (by name and number of arguments), or undefined. */
export function stdTypeOf(t: Ty): StdTypeDef | undefined {
  if (t.kind !== 'adt' || t.std === false) return undefined;
  return stdType(t.name, t.args.length) ?? (t.args.length === 0 ? stdType(t.name) : undefined);
}

/** How many lifetime parameters a std ADT type has (`Iter<'a, T>`: 1; `Vec<T>`: 0); 0 when not a std type. */
export function stdLifetimeCount(t: Ty): number {
  return stdTypeOf(t)?.lifetimes?.length ?? 0;
}

/**
 * The std types a module's glob import brings in (`use std::collections::*` → `HashMap`,
 * `BTreeMap`...), by the module's last segment, from the types' paths (`alsoAt` too).
 */
export function stdTypesOfModule(module: string): readonly string[] {
  return TYPES.filter((t) => !t.internal && [t.path, ...(t.alsoAt ?? [])].some((p) => p.split('::').slice(-2, -1)[0] === module)).map(
    (t) => t.name,
  );
}

/** Std type names a program can write (not std's private representation types). */
export const STD_TYPE_NAMES: ReadonlySet<string> = new Set(TYPES.filter((t) => !t.internal && !t.name.includes('::')).map((t) => t.name));

/** Std types in the prelude: usable without `use` (Rust reference, "Preludes"). */
export const STD_PRELUDE_TYPES: ReadonlySet<string> = new Set(TYPES.filter((t) => t.prelude).map((t) => t.name));

/** The heap shape of an owning std type by name (`Vec` → buffer), or undefined. */
export function heapShape(name: string): HeapShape | undefined {
  return stdType(name)?.heap;
}

/** True for the names of std types that own a heap block. */
export function isHeapOwner(name: string): name is OwnKind {
  return heapShape(name) !== undefined;
}

// --- Rust-written types → Ty

export const INT_NAMES: ReadonlySet<string> = new Set([
  'i8',
  'i16',
  'i32',
  'i64',
  'i128',
  'isize',
  'u8',
  'u16',
  'u32',
  'u64',
  'u128',
  'usize',
]);
const PRIMS: Record<string, Ty> = {
  bool: { kind: 'bool' },
  char: { kind: 'char' },
  str: { kind: 'str' },
  f32: { kind: 'float', name: 'f32' },
  f64: { kind: 'float', name: 'f64' },
};

/** A primitive type by name (`i32`, `str`, `f64`, `bool`), or undefined. */
export function primTy(name: string): Ty | undefined {
  if (INT_NAMES.has(name)) return { kind: 'int', name: name as IntName };
  return PRIMS[name];
}

/** How to read the names of a Rust-written type. */
export interface TyEnv {
  /** Bound parameters (`T` → `i32`). */
  map: ReadonlyMap<string, Ty>;
  /** What `Self` is. */
  self?: Ty;
  /** `X::Item`, `X::Target`, `F::Output`, `<X as IntoIterator>::Item` (`trait`): an iterator's item, a deref target, a closure's result. */
  project?: (base: Ty, name: string, trait?: string) => Ty | undefined;
  /** Unbound names that are not std types become `unknown` (default: generic parameters). */
  unknownNames?: boolean;
}

/** The `Ty` a Rust-written type denotes in `env`. Unbound single-letter names are generic parameters (`param`). */
export function toTy(t: SigTy, env: TyEnv): Ty {
  switch (t.k) {
    case 'unknown':
      return { kind: 'unknown', reason: 'not modelled by the std model' };
    case 'never':
      return { kind: 'never' };
    case 'tuple':
      return { kind: 'tuple', elems: t.elems.map((e) => toTy(e, env)) };
    case 'ref': {
      const inner = toTy(t.inner, env);
      return t.region ? { kind: 'ref', mutable: t.mutable, inner, region: t.region } : { kind: 'ref', mutable: t.mutable, inner };
    }
    case 'ptr':
      return { kind: 'rawptr', mutable: t.mutable, inner: toTy(t.inner, env) };
    case 'slice':
      return { kind: 'slice', elem: toTy(t.elem, env) };
    case 'array':
      return { kind: 'array', elem: toTy(t.elem, env), len: t.len };
    case 'closure':
      // A closure argument: the signature of the `Fn*` bound (what it receives and returns).
      return { kind: 'fn', params: t.params.map((p) => toTy(p, env)), ret: toTy(t.ret, env), bound: t.trait };
    case 'assoc': {
      const base = toTy(t.base, env);
      return env.project?.(base, t.name, t.trait) ?? { kind: 'unknown', reason: `\`${t.name}\` of a type the engine does not model` };
    }
    case 'path': {
      if (t.args.length === 0) {
        const bound = env.map.get(t.name);
        if (bound) return bound;
        if (t.name === 'Self') return env.self ?? { kind: 'unknown', reason: 'Self' };
        const prim = primTy(t.name);
        if (prim) return prim;
      }
      const def = stdType(t.name, t.args.length) ?? stdType(t.name);
      if (def) {
        const args = t.args.map((a) => toTy(a, env));
        const out: Ty = {
          kind: 'adt',
          name: def.name,
          args: def.params.map((_, i) => args[i] ?? { kind: 'unknown', reason: 'type argument not written' }),
          std: true,
        };
        return t.regions.length ? { ...out, regions: [...t.regions] } : out;
      }
      if (env.unknownNames) return { kind: 'unknown', reason: `\`${t.name}\` is not a std type the engine models` };
      return { kind: 'param', name: t.name };
    }
  }
}

// --- representations (`def`)

const ZERO = { line: 0, character: 0 };
const NO_SPAN = { start: ZERO, end: ZERO };
const DEFS = new Map<string, AdtDef>();

/**
 * A std type's representation (`StdTypeDef.def`) as an `AdtDef` whose generics are its type
 * parameters: the layout calculator lays it out like a user type, patterns read its variants
 * (`Option`: `None`, `Some(T)`). Undefined when the type has no `def`.
 */
export function stdAdtDef(name: string): AdtDef | undefined {
  const hit = DEFS.get(name);
  if (hit) return hit;
  const t = stdType(name);
  if (!t?.def) return undefined;
  try {
    const item = parseSigItem(t.def);
    const env: TyEnv = { map: new Map(item.generics.map((g) => [g, { kind: 'param', name: g } as Ty])) };
    const field = (f: { name: string; ty: SigTy }): FieldDef => ({ name: f.name, ty: toTy(f.ty, env), span: NO_SPAN });
    const def: AdtDef = {
      name: t.name,
      path: t.path,
      kind: item.kind,
      generics: [...item.generics],
      lifetimes: [...item.lifetimes],
      fields: item.fields.map(field),
      variants: item.variants.map((v): VariantDef => ({
        name: v.name,
        shape: v.shape,
        fields: v.fields.map(field),
        ...(v.discriminant !== undefined ? { discriminant: v.discriminant } : {}),
      })),
      derives: [],
      hasDropImpl: false,
      implsCopy: false,
      implsClone: false,
      repr: [...item.repr],
      span: NO_SPAN,
      nameSpan: NO_SPAN,
    };
    DEFS.set(name, def);
    return def;
  } catch (e) {
    REGISTRY_ERRORS.push(`${name}: ${(e as Error).message}`);
    return undefined;
  }
}

// --- impls and fns

/** One registry method (or builtin), with its parsed signature and lifetime relations. */
export interface StdFnDef {
  id: StdFnId;
  /** The method's name (`push`); for builtins, the id. */
  name: string;
  family: string;
  /** The impl it belongs to; undefined for builtins. */
  impl?: StdImplDef;
  /** Impl key: `Vec`, `slice`, `array`, `str`, `int`, `Iterator`, `Clone`, `mem`, `prelude`. */
  owner: string;
  /** The impl's self type as written (`Vec<T>`), null for categories (`int`, `any`, `Iterator`, `mem`). */
  selfSig: SigTy | null;
  /** The impl's type parameter names in order (`T`; `K`, `V`). */
  implParams: string[];
  sig: SigFn | null;
  /** The result's lifetime relations before instantiation (see the header). */
  borrows: SigBorrow[];
  /** Arguments whose borrows the fn may store behind a `&mut` argument (`sig.ts` `storedBorrows`). */
  stores: SigStore[];
}

/** std modules whose free functions the registry holds as an impl of that name (`mem::swap`, `cmp::min`, `thread::spawn`). */
export const STD_FN_MODULES: ReadonlySet<string> = new Set(['mem', 'cmp', 'thread']);

/** Impl self categories that are not types. */
const CATEGORIES = new Set(['int', 'float', 'char', 'bool', 'str', 'any', 'Iterator', 'prelude', ...STD_FN_MODULES]);

function implKey(impl: StdImplDef): { key: string; selfSig: SigTy | null; params: string[] } {
  if (impl.self === 'any') return { key: impl.trait ?? 'any', selfSig: null, params: [] };
  if (CATEGORIES.has(impl.self))
    return { key: impl.self, selfSig: impl.self === 'str' ? { k: 'path', name: 'str', args: [], regions: [] } : null, params: [] };
  const s = parseSigTy(impl.self);
  if (s.k === 'slice') return { key: 'slice', selfSig: s, params: paramNames([s.elem]) };
  if (s.k === 'array') return { key: 'array', selfSig: s, params: paramNames([s.elem]) };
  if (s.k === 'path') return { key: s.name, selfSig: s, params: paramNames(s.args) };
  throw new Error(`impl self \`${impl.self}\` is not a type the registry understands`);
}

function paramNames(args: readonly SigTy[]): string[] {
  return args.map((a) => (a.k === 'path' ? a.name : '?'));
}

const REGION_CX = {
  lifetimeCount: (name: string): number => stdType(name)?.lifetimes?.length ?? 0,
  borrowsMutably: (name: string): boolean => stdType(name)?.mutBorrow === true,
};

/**
 * Whether a std type holds one of its type parameters in an `UnsafeCell` (its `def`: `Cell<T>`,
 * `RefCell<T>`, `Mutex<T>`): interior mutability, so `&self` methods may store values in it.
 */
function interiorMutable(key: string): boolean {
  const def = stdType(key)?.def;
  return typeof def === 'string' && /\bUnsafeCell<\s*[A-Z]\w*\s*>/.test(def);
}

const FNS = new Map<StdFnId, StdFnDef>();
/** Methods by impl key then name. */
const BY_OWNER = new Map<string, Map<string, StdFnDef>>();

function register(d: StdFnDef): void {
  if (FNS.has(d.id)) {
    REGISTRY_ERRORS.push(`duplicate std fn id \`${d.id}\``);
    return;
  }
  FNS.set(d.id, d);
  let m = BY_OWNER.get(d.owner);
  if (!m) BY_OWNER.set(d.owner, (m = new Map()));
  m.set(d.name, d);
}

for (const fam of FAMILIES as readonly StdFamily[]) {
  for (const impl of fam.impls) {
    let k: ReturnType<typeof implKey>;
    try {
      k = implKey(impl);
    } catch (e) {
      REGISTRY_ERRORS.push(`${fam.name}: ${(e as Error).message}`);
      continue;
    }
    for (const [name, src] of Object.entries(impl.fns) as [string, string][]) {
      try {
        const sig = parseSigFn(src);
        if (sig.name !== name) throw new Error(`key \`${name}\` names \`fn ${sig.name}\``);
        const borrows = returnBorrows(sig, k.selfSig, REGION_CX);
        const stores = storedBorrows(sig, k.selfSig, REGION_CX, interiorMutable(k.key));
        const id = (k.key === 'prelude' ? name : `${k.key}::${name}`) as StdFnId;
        register({ id, name, family: fam.name, impl, owner: k.key, selfSig: k.selfSig, implParams: k.params, sig, borrows, stores });
      } catch (e) {
        REGISTRY_ERRORS.push(`${fam.name}: \`${src}\`: ${(e as Error).message}`);
      }
    }
  }
  for (const b of fam.builtins ?? []) {
    register({
      id: b as StdFnId,
      name: b,
      family: fam.name,
      owner: 'builtin',
      selfSig: null,
      implParams: [],
      sig: null,
      borrows: [],
      stores: [],
    });
  }
}
for (const t of TYPES) if (t.def) stdAdtDef(t.name);

/**
 * Value names of the prelude (Rust reference, "Preludes"): the variant constructors `Some`, `Ok`,
 * `Err`, the unit variant `None`, and prelude functions (`drop`).
 */
export const STD_PRELUDE_VALUES: ReadonlySet<string> = new Set<string>([
  ...(FAMILIES as readonly StdFamily[]).flatMap((f) => [
    ...f.impls.filter((i) => i.self === 'prelude').flatMap((i) => Object.keys(i.fns)),
    ...(f.prelude ?? []),
  ]),
  ...TYPES.filter((t) => t.prelude).flatMap((t) =>
    (stdAdtDef(t.name)?.variants ?? []).filter((v) => v.shape === 'unit').map((v) => v.name),
  ),
]);

/** Every registry fn (methods, associated functions, builtins), in family order. */
export const STD_FNS: readonly StdFnDef[] = [...FNS.values()];

/** The registry fn with this id, or undefined. */
export function stdFn(id: string): StdFnDef | undefined {
  return FNS.get(id as StdFnId);
}

/** The type parameter names of the impl keyed `owner` (`Vec` → `T`, `HashMap` → `K`, `V`), undefined when there is no such impl. */
export function implParamsOf(owner: string): readonly string[] | undefined {
  const first = BY_OWNER.get(owner)?.values().next().value;
  return first?.implParams;
}

/** The fn `name` of the impl keyed `owner` (`Vec`, `slice`, `int`, `Iterator`, `Clone`), or undefined. */
export function stdFnOf(owner: string, name: string): StdFnDef | undefined {
  return BY_OWNER.get(owner)?.get(name);
}

/** The id of a builtin (`println!`, `vec::from_elem`, `AddAssign::add_assign`); throws for an unknown one (a bug in the caller). */
export function builtinId(name: string): StdFnId {
  const d = FNS.get(name as StdFnId);
  if (!d || d.owner !== 'builtin') throw new Error(`no std builtin \`${name}\``);
  return d.id;
}

/** The id of a registry fn by its written id (`Vec::push`); throws when there is none (a bug in the caller). */
export function stdFnId(id: string): StdFnId {
  if (!FNS.has(id as StdFnId)) throw new Error(`no std fn \`${id}\``);
  return id as StdFnId;
}
