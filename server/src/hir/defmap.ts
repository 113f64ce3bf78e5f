/**
 * Items by path, and name resolution across a crate's modules: the part of rustc_resolve the
 * engine needs (rust-analyzer calls this structure a `DefMap`). One def map holds one file's
 * inline modules, or a whole crate when lowering declares the items of each `mod name;` file
 * in its module (`engine/crate.ts`); it does not know which file an item came from.
 *
 * Every item has a path from the crate root, as rustc's `DefPath`: `main`, `a::b::main`,
 * `a::Point` (its methods `a::Point::new`), items declared inside a function body under the
 * function's path (`main::helper`). Keys, which `FileHir`, MIR and the interpreter use:
 * - functions and methods: the full path, made unique in the file (`#2` is appended to a second
 *   definition with the same path; two trait impls of one type with the same method name are
 *   told apart as `<a::P as Tr>::f`).
 * - structs, enums, unions, traits, consts and statics: the path as rustc prints it in messages
 *   (`trimmed_def_paths`): the bare name when no other item of that kind in the file has it,
 *   else the full path (`a::P` and `b::P`); declared inside a function body, always the full
 *   path (`main::Wrapper`), so that one body's keys do not depend on the others.
 *
 * Scopes: one per module (`mod a { ... }`, the file is the crate root) and one per function body
 * that declares items. A name is looked up in the block scopes from the innermost out, then in
 * the enclosing module: its own items, then its `use` imports (`use a::b::c as d;`,
 * `use a::{b, c::*}`), then its glob imports (`use super::*`, `use Enum::*`). Names of parent
 * modules are not visible without `super::` / `crate::` or an import (Rust reference, "Paths":
 * path qualifiers; "Use declarations"). Privacy is not checked. Paths starting with `std`,
 * `core` or `alloc`, and imports from other crates, are left to the caller (`external`).
 *
 * Pure data: no tree-sitter here; `syntax/lower.ts` declares the items and asks the questions.
 * Every lookup is bounded (import cycles are cut, paths are at most `MAX_SEGMENTS` long).
 */

/** Rust's two namespaces that paths in bodies and signatures look names up in. */
export type Namespace = 'value' | 'type';

/** Longest path the resolver follows. */
export const MAX_SEGMENTS = 32;

export type VariantShape = 'unit' | 'tuple' | 'struct';

/** A struct, enum or union. `shape` tells whether the struct name is also a value (a constructor). */
export interface AdtEntry {
  readonly kind: 'adt';
  readonly name: string;
  /** Full path (`a::Point`). */
  readonly path: string;
  /** Key in `FileHir.adts` (see the module comment); set by `DefMap.assignKeys` or on declaration. */
  key: string;
  readonly shape: 'unit-struct' | 'tuple-struct' | 'struct' | 'enum' | 'union';
  readonly variants: Map<string, VariantShape>;
  /** Associated functions and methods of the ADT's impls in this file: name → fn key. */
  readonly assoc: Map<string, string>;
}

export interface TraitEntry {
  readonly kind: 'trait';
  readonly name: string;
  readonly path: string;
  key: string;
  /** Methods declared in the trait: name → fn key. */
  readonly methods: Map<string, string>;
  /**
   * The supertraits written after `trait A:` (last path segments, e.g. `['B', 'Clone']`); null
   * when the trait has a `where` clause or generic parameters (its bounds are then not all here).
   */
  supertraits?: string[] | null;
}

export interface FnEntry {
  readonly kind: 'fn';
  readonly key: string;
}

export interface ConstEntry {
  readonly kind: 'const' | 'static';
  readonly name: string;
  readonly path: string;
  key: string;
}

export interface ModEntry {
  readonly kind: 'mod';
  readonly scope: ItemScope;
}

/** An enum variant brought into scope by `use Enum::V` / `use Enum::*`. */
export interface VariantEntry {
  readonly kind: 'variant';
  readonly adt: AdtEntry;
  readonly name: string;
}

/** Something outside the file: `std` (modelled by name) or another crate (never guessed). */
export interface ExternalEntry {
  readonly kind: 'std' | 'external';
  /** The path as written after the crate name (`collections::HashMap`), or the bare name. */
  readonly path: string;
}

export type Entry = AdtEntry | TraitEntry | FnEntry | ConstEntry | ModEntry | VariantEntry | ExternalEntry;

/** One `use` tree leaf: `use a::b as c` is `{ name: 'c', path: ['a', 'b'] }`; globs have no name. */
export interface UseItem {
  path: string[];
  name?: string;
  glob: boolean;
}

/** Scope of items: a module, or a function body that declares items. */
export class ItemScope {
  readonly values = new Map<string, Entry>();
  readonly types = new Map<string, Entry>();
  /** `use` imports by the name they bind. */
  readonly imports = new Map<string, string[]>();
  /** `use path::*` */
  readonly globs: string[][] = [];
  readonly children: ItemScope[] = [];

  constructor(
    /** Path of the module, or of the function for a block scope; '' for the crate root. */
    readonly path: string,
    readonly kind: 'mod' | 'block',
    readonly parent: ItemScope | undefined,
  ) {
    parent?.children.push(this);
  }

  /** The module this scope is in (itself for a module). */
  get module(): ItemScope {
    return this.kind === 'block' && this.parent ? this.parent.module : this;
  }

  /** Full path of an item named `name` declared here. */
  child(name: string): string {
    return this.path ? `${this.path}::${name}` : name;
  }
}

/**
 * Splits a `use` declaration's text into leaves (`pub(crate) use a::{b, c::d as e, f::*};`).
 * Whitespace and comments inside are ignored; `self` in a list names the list's prefix.
 */
export function parseUseTree(text: string): UseItem[] {
  const t = text
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*pub(\s*\([^)]*\))?\s+/, '')
    .replace(/^\s*use\s+/, '')
    .replace(/;\s*$/, '')
    .replace(/\s+as\s+/g, ' as ')
    .trim();
  const out: UseItem[] = [];
  expand(t, [], out, 0);
  return out;
}

function expand(tree: string, prefix: string[], out: UseItem[], depth: number): void {
  if (depth > 16 || out.length > 1000) return;
  const s = tree.trim().replace(/^::/, '');
  const brace = topLevelBrace(s);
  if (brace >= 0) {
    const head = s.slice(0, brace).replace(/::\s*$/, '');
    const inner = s.slice(brace + 1, s.lastIndexOf('}'));
    const pre = [...prefix, ...segments(head)];
    for (const part of splitTopLevel(inner)) if (part.trim()) expand(part, pre, out, depth + 1);
    return;
  }
  const m = /^(.*?)(?: as ([A-Za-z_][A-Za-z0-9_]*))?$/.exec(s);
  const segs = segments(m?.[1] ?? s);
  if (segs[segs.length - 1] === '*') {
    out.push({ path: [...prefix, ...segs.slice(0, -1)], glob: true });
    return;
  }
  // `use a::{self}` imports `a` itself.
  const path = segs.length === 1 && segs[0] === 'self' && prefix.length ? prefix : [...prefix, ...segs];
  const name = m?.[2] ?? path[path.length - 1];
  if (name === '_' || !path.length) return; // `use Trait as _;` binds no name
  out.push({ path, name, glob: false });
}

function segments(s: string): string[] {
  return s
    .split('::')
    .map((x) => x.trim())
    .filter(Boolean);
}

function topLevelBrace(s: string): number {
  return s.indexOf('{');
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const EXTERN_ROOTS = new Set(['std', 'core', 'alloc']);

/** What a path resolves to: an item of the file, or something outside it. */
export type Resolution = Entry;

/** The items of one file and the questions lowering asks about them (see the module comment). */
export class DefMap {
  readonly root = new ItemScope('', 'mod', undefined);
  /** Every module-level ADT, trait and const, for key assignment. */
  private readonly adtEntries: AdtEntry[] = [];
  private readonly traitEntries: TraitEntry[] = [];
  private readonly constEntries: ConstEntry[] = [];
  /** Keys of module-level items (fns, and ADTs/traits/consts once assigned). */
  private readonly moduleKeys = new Set<string>();
  /** Keys of the items declared in the body being lowered (see `beginUnit`). */
  private unitKeys: Set<string> | undefined;
  private keysAssigned = false;
  /** The next `#n` suffix to try for a module-level fn path (see `fnKey`). */
  private readonly suffixes = new Map<string, number>();
  private readonly adtKeys = new Map<string, AdtEntry>();

  /**
   * Starts the declarations of one body (a fn and what is nested in it). Items declared inside
   * bodies are keyed by their full path (`main::Wrapper`); they must not collide with
   * module-level keys or with each other, and need not know about other bodies' items (their
   * paths differ), so a body's keys do not depend on the order bodies are lowered in.
   */
  beginUnit(): void {
    this.unitKeys = new Set();
  }

  private taken(key: string): boolean {
    return this.moduleKeys.has(key) || !!this.unitKeys?.has(key);
  }

  private take(key: string): string {
    (this.unitKeys ?? this.moduleKeys).add(key);
    return key;
  }

  /** A unique fn key for `path` (`path`, else `alternative`, else `path#2`, `path#3`, ...). */
  fnKey(path: string, alternative?: string): string {
    let key = path;
    if (this.taken(key) && alternative && !this.taken(alternative)) key = alternative;
    // Module-level keys are only added, in source order: the suffixes below the last one given
    // for `path` are all taken (a crate with hundreds of `impl Parse for ...` would probe them
    // all, quadratically). Inside a body, keys are probed from 2 (they are dropped per unit).
    let n = this.unitKeys ? 2 : (this.suffixes.get(path) ?? 2);
    for (; this.taken(key); n++) key = `${path}#${n}`;
    if (!this.unitKeys) this.suffixes.set(path, n);
    return this.take(key);
  }

  declareFn(scope: ItemScope, name: string): FnEntry {
    const e: FnEntry = { kind: 'fn', key: this.fnKey(scope.child(name)) };
    if (!scope.values.has(name)) scope.values.set(name, e);
    return e;
  }

  declareAdt(scope: ItemScope, name: string, shape: AdtEntry['shape'], variants: [string, VariantShape][] = []): AdtEntry {
    const path = scope.child(name);
    const e: AdtEntry = { kind: 'adt', name, path, key: path, shape, variants: new Map(variants), assoc: new Map() };
    if (this.keysAssigned) {
      e.key = this.lateKey(path);
      this.adtKeys.set(e.key, e);
    } else this.adtEntries.push(e);
    if (!scope.types.has(name)) scope.types.set(name, e);
    if ((shape === 'unit-struct' || shape === 'tuple-struct') && !scope.values.has(name)) scope.values.set(name, e);
    return e;
  }

  declareTrait(scope: ItemScope, name: string): TraitEntry {
    const path = scope.child(name);
    const e: TraitEntry = { kind: 'trait', name, path, key: path, methods: new Map() };
    if (this.keysAssigned) e.key = this.lateKey(path);
    else this.traitEntries.push(e);
    if (!scope.types.has(name)) scope.types.set(name, e);
    return e;
  }

  declareConst(scope: ItemScope, name: string, kind: 'const' | 'static'): ConstEntry {
    const path = scope.child(name);
    const e: ConstEntry = { kind, name, path, key: path };
    if (this.keysAssigned) e.key = this.lateKey(path);
    else this.constEntries.push(e);
    if (!scope.values.has(name)) scope.values.set(name, e);
    return e;
  }

  declareMod(scope: ItemScope, name: string): ItemScope {
    const existing = scope.types.get(name);
    if (existing?.kind === 'mod') return existing.scope;
    const m = new ItemScope(scope.child(name), 'mod', scope);
    scope.types.set(name, { kind: 'mod', scope: m });
    return m;
  }

  /** Records a `use` declaration's leaves in `scope`. */
  declareUse(scope: ItemScope, items: UseItem[]): void {
    for (const u of items) {
      if (!u.path.length) continue;
      if (u.glob) scope.globs.push(u.path);
      else if (u.name && !scope.imports.has(u.name)) scope.imports.set(u.name, u.path);
    }
  }

  /** `extern crate name;`: a crate outside the file. */
  declareExternCrate(scope: ItemScope, name: string, alias?: string): void {
    scope.types.set(alias ?? name, { kind: 'external', path: name });
  }

  /** Gives ADTs, traits, consts and statics declared so far their keys (see the module comment). */
  assignKeys(): void {
    for (const list of [this.adtEntries, this.traitEntries, this.constEntries] as { name: string; path: string; key: string }[][]) {
      const count = new Map<string, number>();
      for (const e of list) count.set(e.name, (count.get(e.name) ?? 0) + 1);
      const used = new Set<string>();
      for (const e of list) {
        let key = count.get(e.name) === 1 ? e.name : e.path;
        for (let n = 2; used.has(key); n++) key = `${e.path}#${n}`;
        used.add(key);
        this.moduleKeys.add(`type:${key}`);
        e.key = key;
      }
    }
    for (const e of this.adtEntries) this.adtKeys.set(e.key, e);
    this.keysAssigned = true;
  }

  /** The ADT with key `key` (see the module comment). */
  adtByKey(key: string): AdtEntry | undefined {
    return this.adtKeys.get(key);
  }

  /** Key of an ADT, trait or const declared inside a body (after `assignKeys`): its full path. */
  private lateKey(path: string): string {
    let key = path;
    for (let n = 2; this.taken(`type:${key}`); n++) key = `${path}#${n}`;
    this.take(`type:${key}`);
    return key;
  }

  // --- resolving

  /**
   * Resolves a name (one segment) in `ns` from `scope`: block scopes outward, then the module's
   * items, imports and globs. Undefined when the file does not define or import it.
   */
  resolveName(scope: ItemScope, name: string, ns: Namespace): Resolution | undefined {
    return this.resolveNameIn(scope, name, ns, new Set());
  }

  /**
   * Resolves a path (`a::b::f`, `crate::x`, `super::T`, `self::m::S`, `E::V`, `P::new`) in `ns`
   * from `scope`. `std::...` paths resolve to a `std` entry. Undefined when it names nothing the
   * file defines or imports.
   */
  resolvePath(scope: ItemScope, segs: readonly string[], ns: Namespace): Resolution | undefined {
    return this.resolvePathIn(scope, segs, ns, new Set());
  }

  private resolveNameIn(scope: ItemScope, name: string, ns: Namespace, visiting: Set<string>): Resolution | undefined {
    for (let s: ItemScope | undefined = scope; s; s = s.kind === 'block' ? s.parent : undefined) {
      const r = this.lookupIn(s, name, ns, visiting);
      if (r) return r;
    }
    return undefined;
  }

  /** `name` in one scope: its items, then its imports, then its globs. */
  private lookupIn(s: ItemScope, name: string, ns: Namespace, visiting: Set<string>): Resolution | undefined {
    const own = (ns === 'value' ? s.values : s.types).get(name);
    if (own) return own;
    const guard = `${s.path}|${s.kind}|${name}|${ns}`;
    if (visiting.has(guard) || visiting.size > 256) return undefined;
    visiting.add(guard);
    try {
      const imp = s.imports.get(name);
      if (imp) {
        const r = this.resolvePathIn(s, imp, ns, visiting);
        if (r) return r;
        // An import that names nothing in this file (another crate, a `mod m;` file) hides the
        // prelude's meaning of the name: it is external, never guessed.
        if (!this.resolvePathIn(s, imp, ns === 'value' ? 'type' : 'value', visiting)) return { kind: 'external', path: imp.join('::') };
      }
      for (const g of s.globs) {
        const container = this.resolvePathIn(s, g, 'type', visiting);
        if (!container) continue;
        const r = this.member(container, name, ns, visiting, true);
        if (r) return r;
      }
    } finally {
      visiting.delete(guard);
    }
    return undefined;
  }

  private resolvePathIn(scope: ItemScope, segs: readonly string[], ns: Namespace, visiting: Set<string>): Resolution | undefined {
    if (!segs.length || segs.length > MAX_SEGMENTS) return undefined;
    let i: number;
    let cur: Resolution | undefined;
    const first = segs[0];
    if (first === 'crate') {
      cur = { kind: 'mod', scope: this.root };
      i = 1;
    } else if (first === 'self' || first === 'super') {
      let m = scope.module;
      i = first === 'self' ? 1 : 0;
      while (segs[i] === 'super') {
        if (!m.parent) return undefined;
        m = m.parent.module;
        i++;
      }
      cur = { kind: 'mod', scope: m };
    } else if (EXTERN_ROOTS.has(first) && !this.resolveNameIn(scope, first, 'type', visiting)) {
      return { kind: 'std', path: segs.slice(1).join('::') };
    } else if (segs.length === 1) {
      return this.resolveNameIn(scope, first, ns, visiting);
    } else {
      cur = this.resolveNameIn(scope, first, 'type', visiting);
      i = 1;
    }
    if (i === segs.length) return ns === 'type' ? cur : undefined;
    for (; cur && i < segs.length - 1; i++) cur = this.member(cur, segs[i], 'type', visiting, false);
    return cur ? this.member(cur, segs[segs.length - 1], ns, visiting, false) : undefined;
  }

  /** `name` inside `container` (a module's item, an enum's variant, an ADT's or trait's fn). */
  private member(container: Resolution, name: string, ns: Namespace, visiting: Set<string>, viaGlob: boolean): Resolution | undefined {
    switch (container.kind) {
      case 'mod':
        return this.lookupIn(container.scope, name, ns, visiting);
      case 'adt': {
        if (container.variants.has(name)) return { kind: 'variant', adt: container, name };
        if (viaGlob || ns !== 'value') return undefined;
        const fn = container.assoc.get(name);
        return fn ? { kind: 'fn', key: fn } : undefined;
      }
      case 'trait': {
        if (viaGlob || ns !== 'value') return undefined;
        const fn = container.methods.get(name);
        return fn ? { kind: 'fn', key: fn } : undefined;
      }
      case 'std':
      case 'external':
        return viaGlob ? undefined : { kind: container.kind, path: container.path ? `${container.path}::${name}` : name };
      default:
        return undefined;
    }
  }
}
