/**
 * Rust as the std model writes it: types (`Option<&'a T>`), fn signatures
 * (`fn get_mut(&mut self, index: usize) -> Option<&mut T>`) and item definitions
 * (`#[repr(C)] struct RcInner<T> { strong: Cell<usize>, weak: Cell<usize>, value: T }`), parsed
 * once into small syntax trees (`SigTy`, `SigFn`, `SigItem`), and the lifetime relations of a
 * signature (`returnBorrows`, `storedBorrows`), read off by `hir/elision.ts` (the Rust reference's
 * "Lifetime elision"), the one statement of those rules for std and the file's own fns.
 *
 * Nothing here knows which names are std types: `registry.ts` instantiates the trees into `Ty`.
 * The parser throws `SigError` on malformed text; the registry parses every string when it loads
 * (and `test/std/` checks them), so a bad signature fails the tests, never an analysis.
 */
import {
  resultRelations,
  storeRelations,
  type RegionOcc,
  type ResultRelation,
  type SigInput,
  type SigShape,
  type StoreRelation,
} from '../hir/elision';

/** A type as written in a signature. `path` covers `T`, `Self`, `i32`, `Vec<T>`, `Iter<'a, T>`. */
export type SigTy =
  /** `?`: a type the registry does not write (an iterator adapter's closure type parameter). */
  | { readonly k: 'unknown' }
  | { readonly k: 'never' }
  | { readonly k: 'tuple'; readonly elems: readonly SigTy[] }
  | { readonly k: 'ref'; readonly mutable: boolean; readonly region?: string; readonly inner: SigTy }
  | { readonly k: 'ptr'; readonly mutable: boolean; readonly inner: SigTy }
  | { readonly k: 'slice'; readonly elem: SigTy }
  | { readonly k: 'array'; readonly elem: SigTy; readonly len: number | null }
  | { readonly k: 'path'; readonly name: string; readonly args: readonly SigTy[]; readonly regions: readonly string[] }
  /**
   * `Self::Item`, `I::Item`, `T::Target`, `F::Output` (what a closure or fn returns); with
   * `trait`, a qualified path (`<U as IntoIterator>::Item`: what a `for` loop over `U` binds).
   */
  | { readonly k: 'assoc'; readonly base: SigTy; readonly name: string; readonly trait?: string }
  /**
   * `impl FnMut(&Self::Item) -> bool`: what a closure argument receives and returns (the
   * parameter's `F: FnMut(..)` bound). Its lifetimes are the closure's own (higher-ranked): they
   * take no part in the signature's lifetime relations.
   */
  | {
      readonly k: 'closure';
      readonly trait: 'Fn' | 'FnMut' | 'FnOnce';
      readonly params: readonly SigTy[];
      readonly ret: SigTy;
      /**
       * The type parameter the argument's type is, when declared `<F: FnMut(..) -> B>` and taken
       * as `f: F` (rustc's signature): the result may name it (`-> Map<Self, F>`).
       */
      readonly name?: string;
    };

/** How a method takes `self` (`region`: the lifetime written on `&'a self`). */
export interface SigSelf {
  readonly kind: 'value' | 'ref' | 'mut';
  readonly region?: string;
}

/** A `where` predicate: `T = &U` binds `U`; `T: Bound` requires a bound. */
export type SigWhere =
  | { readonly k: 'eq-ref'; readonly param: string; readonly bind: string }
  | { readonly k: 'bound'; readonly param: string; readonly bound: string };

/** A parsed `fn` signature. `params` excludes `self`. */
export interface SigFn {
  readonly name: string;
  /** Lifetimes declared on the fn (`fn leak<'a>`). */
  readonly lifetimes: readonly string[];
  /** Type parameters declared on the fn (`fn parse<F>`): a turbofish (`parse::<i32>()`) binds them in order. */
  readonly generics: readonly string[];
  /** `B: FromIterator<Self::Item>`: the type parameter built from the items, and the item type it takes. */
  readonly fromIter?: { readonly param: string; readonly item: SigTy };
  /**
   * Type parameters bounded by `'static` (`F: FnOnce() -> T + Send + 'static` of `thread::spawn`):
   * an argument of such a type must hold no borrow of the caller's locals (E0373, E0521).
   */
  readonly staticParams?: readonly string[];
  readonly self: SigSelf | null;
  readonly params: readonly SigTy[];
  readonly ret: SigTy;
  readonly where: readonly SigWhere[];
}

/** A parsed `struct` / `enum` item (the representation of a std type, for layouts and patterns). */
export interface SigItem {
  readonly kind: 'struct' | 'enum';
  readonly name: string;
  readonly generics: readonly string[];
  readonly lifetimes: readonly string[];
  /** Contents of `#[repr(...)]` attributes. */
  readonly repr: readonly string[];
  readonly fields: readonly { readonly name: string; readonly ty: SigTy }[];
  readonly variants: readonly {
    readonly name: string;
    readonly shape: 'unit' | 'tuple' | 'struct';
    readonly fields: readonly { readonly name: string; readonly ty: SigTy }[];
    readonly discriminant?: number;
  }[];
}

/** A malformed std-model string (a bug in the registry, caught by its tests). */
export class SigError extends Error {}

// --- tokens

type Tok = { t: 'id' | 'lt' | 'num' | 'p'; v: string };

const PUNCT = ['::', '->', '&', '*', '(', ')', '[', ']', '<', '>', ',', ';', ':', '=', '?', '#', '{', '}', '-', '!', '+'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const lt = /^'[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (lt) {
      out.push({ t: 'lt', v: lt[0] });
      i += lt[0].length;
      continue;
    }
    const num = /^[0-9]+/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw new SigError(`unexpected \`${c}\` in \`${src}\``);
    out.push({ t: 'p', v: p });
    i += p.length;
  }
  return out;
}

class Parser {
  /** Index of the next token. */
  i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  peek(v?: string): Tok | undefined {
    const t = this.toks[this.i];
    return v === undefined || (t && t.v === v) ? t : undefined;
  }
  eat(v: string): boolean {
    if (this.toks[this.i]?.v === v) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(v: string): void {
    if (!this.eat(v)) throw new SigError(`expected \`${v}\` at token ${this.i} of \`${this.src}\``);
  }
  ident(): string {
    const t = this.toks[this.i];
    if (!t || t.t !== 'id') throw new SigError(`expected a name at token ${this.i} of \`${this.src}\``);
    this.i++;
    return t.v;
  }
  /** A lifetime token (`'a`), or undefined. */
  lifetime(): string | undefined {
    const t = this.toks[this.i];
    if (t?.t !== 'lt') return undefined;
    this.i++;
    return t.v;
  }
  /** Any token's text (for `repr(...)` contents). */
  any(): string {
    const t = this.toks[this.i++];
    if (!t) throw new SigError(`unexpected end of \`${this.src}\``);
    return t.v;
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  end(): void {
    if (!this.done()) throw new SigError(`unexpected \`${this.toks[this.i].v}\` in \`${this.src}\``);
  }

  /** `FnMut(A, B) -> R` after its trait name (`impl FnMut(..)`, a bound `F: FnMut(..)`). */
  fnBound(trait: string): SigTy & { k: 'closure' } {
    if (trait !== 'Fn' && trait !== 'FnMut' && trait !== 'FnOnce')
      throw new SigError(`\`${trait}\` in \`${this.src}\`: only closure bounds`);
    this.expect('(');
    const params: SigTy[] = [];
    while (!this.eat(')')) {
      params.push(this.ty());
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    const ret: SigTy = this.eat('->') ? this.ty() : { k: 'tuple', elems: [] };
    return { k: 'closure', trait, params, ret };
  }

  ty(): SigTy {
    if (this.eat('?')) return { k: 'unknown' };
    if (this.eat('!')) return { k: 'never' };
    if (this.eat('impl')) return this.fnBound(this.ident());
    if (this.eat('<')) {
      // `<U as IntoIterator>::Item`
      const base = this.ty();
      this.expect('as');
      const trait = this.ident();
      this.expect('>');
      this.expect('::');
      return { k: 'assoc', base, name: this.ident(), trait };
    }
    if (this.eat('&')) {
      const lt = this.lifetime();
      const mutable = this.eat('mut');
      const inner = this.ty();
      return lt ? { k: 'ref', mutable, region: lt, inner } : { k: 'ref', mutable, inner };
    }
    if (this.eat('*')) {
      const mutable = this.eat('mut');
      if (!mutable) this.expect('const');
      return { k: 'ptr', mutable, inner: this.ty() };
    }
    if (this.eat('(')) {
      const elems: SigTy[] = [];
      while (!this.eat(')')) {
        elems.push(this.ty());
        if (!this.eat(',')) {
          this.expect(')');
          break;
        }
      }
      return { k: 'tuple', elems };
    }
    if (this.eat('[')) {
      const elem = this.ty();
      if (this.eat(';')) {
        const n = this.toks[this.i++];
        this.expect(']');
        return { k: 'array', elem, len: n && n.t === 'num' ? Number(n.v) : null };
      }
      this.expect(']');
      return { k: 'slice', elem };
    }
    let name = this.ident();
    // Module paths (`hash_map::Entry`, `sync::Weak`) stay in the name (the registry resolves
    // them); after a type name, `::Item` is a projection.
    while (this.peek('::') && this.toks[this.i + 1]?.t === 'id' && /^[a-z_]/.test(name.slice(name.lastIndexOf(':') + 1))) {
      this.i++;
      name = `${name}::${this.ident()}`;
    }
    const args: SigTy[] = [];
    const regions: string[] = [];
    if (this.eat('<')) {
      while (!this.eat('>')) {
        const lt = this.lifetime();
        if (lt) regions.push(lt);
        else args.push(this.ty());
        if (!this.eat(',')) {
          this.expect('>');
          break;
        }
      }
    }
    let t: SigTy = { k: 'path', name, args, regions };
    while (this.eat('::')) t = { k: 'assoc', base: t, name: this.ident() };
    return t;
  }

  /**
   * `<'a, T, U: Bound, F: FnMut(T) -> U>`: lifetimes and type parameter names; `fnBounds`, the
   * parameters bounded by a closure trait (`F` → `FnMut(T) -> U`); `fromIter`, a parameter bounded
   * `B: FromIterator<Self::Item>` (what `collect` builds). Other bounds are read and not kept.
   */
  generics(): {
    lifetimes: string[];
    params: string[];
    fnBounds: Map<string, SigTy & { k: 'closure' }>;
    fromIter?: { param: string; item: SigTy };
    staticParams: string[];
  } {
    let fromIter: { param: string; item: SigTy } | undefined;
    const lifetimes: string[] = [];
    const params: string[] = [];
    const fnBounds = new Map<string, SigTy & { k: 'closure' }>();
    const staticParams: string[] = [];
    if (!this.eat('<')) return { lifetimes, params, fnBounds, staticParams };
    while (!this.eat('>')) {
      const lt = this.lifetime();
      if (lt) lifetimes.push(lt);
      else {
        const name = this.ident();
        params.push(name);
        // Bounds joined by `+`: a closure trait, `FromIterator<A>`, `'static`; others are read and not kept.
        if (this.eat(':'))
          do {
            const t = this.toks[this.i];
            const lt = this.lifetime();
            if (lt) {
              if (lt === "'static") staticParams.push(name);
            } else if (t?.t === 'id' && (t.v === 'Fn' || t.v === 'FnMut' || t.v === 'FnOnce')) {
              this.i++;
              fnBounds.set(name, { ...this.fnBound(t.v), name });
            } else {
              const b = this.ty();
              // `FromIterator<A>` (`collect`) and `Extend<A>` (`partition`) take the same items.
              if (b.k === 'path' && (b.name === 'FromIterator' || b.name === 'Extend') && b.args.length === 1)
                fromIter = { param: name, item: b.args[0] };
            }
          } while (this.eat('+'));
      }
      if (!this.eat(',')) {
        this.expect('>');
        break;
      }
    }
    return { lifetimes, params, fnBounds, staticParams, ...(fromIter ? { fromIter } : {}) };
  }
}

/** Parses a Rust type (`Option<&'a T>`, `[T; 11]`, `Self::Item`, `?`). */
export function parseSigTy(src: string): SigTy {
  const p = new Parser(tokenize(src), src);
  const t = p.ty();
  p.end();
  return t;
}

/** Parses `fn name<'a>(self-param, name: Ty, ...) -> Ty where P, ...`. */
export function parseSigFn(src: string): SigFn {
  const p = new Parser(tokenize(src), src);
  p.expect('fn');
  const name = p.ident();
  const { lifetimes, params: generics, fnBounds, fromIter, staticParams } = p.generics();
  p.expect('(');
  let self: SigSelf | null = null;
  const params: SigTy[] = [];
  let first = true;
  while (!p.eat(')')) {
    if (first) self = selfParam(p);
    if (!self || !first) {
      p.ident();
      p.expect(':');
      const t = p.ty();
      // `f: F` with `F: FnMut(..) -> B`: the closure the bound describes, named `F`.
      const bound = t.k === 'path' && t.args.length === 0 ? fnBounds.get(t.name) : undefined;
      params.push(bound ?? t);
    }
    first = false;
    if (!p.eat(',')) {
      p.expect(')');
      break;
    }
  }
  const ret: SigTy = p.eat('->') ? p.ty() : { k: 'tuple', elems: [] };
  const where: SigWhere[] = [];
  if (p.eat('where')) {
    while (!p.done()) {
      const param = p.ident();
      if (p.eat('=')) {
        p.expect('&');
        where.push({ k: 'eq-ref', param, bind: p.ident() });
      } else {
        p.expect(':');
        where.push({ k: 'bound', param, bound: p.ident() });
      }
      if (!p.eat(',')) break;
    }
  }
  p.end();
  return {
    name,
    lifetimes,
    generics,
    self,
    params,
    ret,
    where,
    ...(fromIter ? { fromIter } : {}),
    ...(staticParams.length ? { staticParams } : {}),
  };
}

/** `self`, `mut self`, `&self`, `&'a mut self` as the first parameter, or null (position unchanged). */
function selfParam(p: Parser): SigSelf | null {
  const save = p.i;
  let kind: SigSelf['kind'] = 'value';
  let region: string | undefined;
  if (p.eat('&')) {
    kind = 'ref';
    region = p.lifetime();
    if (p.eat('mut')) kind = 'mut';
  } else p.eat('mut');
  if (p.eat('self')) return region ? { kind, region } : { kind };
  p.i = save;
  return null;
}

/** Parses `#[repr(..)]* struct Name<..> { f: T, .. }` / `struct Name<..>(T, ..);` / `enum Name<..> { A, B(T), C = -1 }`. */
export function parseSigItem(src: string): SigItem {
  const p = new Parser(tokenize(src), src);
  const repr: string[] = [];
  while (p.eat('#')) {
    p.expect('[');
    p.expect('repr');
    p.expect('(');
    const parts: string[] = [];
    while (!p.eat(')')) parts.push(p.any());
    repr.push(parts.join('').replace(/,/g, ', '));
    p.expect(']');
  }
  const kind = p.eat('struct') ? 'struct' : p.eat('enum') ? 'enum' : null;
  if (!kind) throw new SigError(`expected struct or enum in \`${src}\``);
  const name = p.ident();
  const { lifetimes, params: generics } = p.generics();
  const fieldList = (close: string, named: boolean): { name: string; ty: SigTy }[] => {
    const fields: { name: string; ty: SigTy }[] = [];
    while (!p.eat(close)) {
      let fname = String(fields.length);
      if (named) {
        fname = p.ident();
        p.expect(':');
      }
      fields.push({ name: fname, ty: p.ty() });
      if (!p.eat(',')) {
        p.expect(close);
        break;
      }
    }
    return fields;
  };
  if (kind === 'struct') {
    let fields: { name: string; ty: SigTy }[] = [];
    if (p.eat('{')) fields = fieldList('}', true);
    else if (p.eat('(')) {
      fields = fieldList(')', false);
      p.expect(';');
    } else p.expect(';');
    p.end();
    return { kind, name, generics, lifetimes, repr, fields, variants: [] };
  }
  p.expect('{');
  const variants: SigItem['variants'][number][] = [];
  while (!p.eat('}')) {
    const vname = p.ident();
    let shape: 'unit' | 'tuple' | 'struct' = 'unit';
    let fields: { name: string; ty: SigTy }[] = [];
    if (p.eat('(')) {
      shape = 'tuple';
      fields = fieldList(')', false);
    } else if (p.eat('{')) {
      shape = 'struct';
      fields = fieldList('}', true);
    }
    let discriminant: number | undefined;
    if (p.eat('=')) {
      const neg = p.eat('-');
      const n = Number(p.any());
      if (!Number.isSafeInteger(n)) throw new SigError(`expected a discriminant in \`${src}\``);
      discriminant = neg ? -n : n;
    }
    variants.push(discriminant === undefined ? { name: vname, shape, fields } : { name: vname, shape, fields, discriminant });
    if (!p.eat(',')) {
      p.expect('}');
      break;
    }
  }
  p.end();
  return { kind, name, generics, lifetimes, repr, fields: [], variants };
}

// --- lifetime relations

/**
 * A relation before instantiation (`elision.ts` `ResultRelation`): `through` names the type
 * parameter it flows through, if any.
 */
export interface SigBorrow extends ResultRelation {
  /**
   * The result is built from the argument's items (`collect<B>(self) -> B`): it holds their
   * borrows only when the result's type, as the caller instantiates it, can hold a borrow.
   */
  readonly built?: true;
  /** What the result holds is what an iterator's items hold (`ReturnBorrow.items`). */
  readonly items?: true;
  /** The relation holds only if the closure passed as parameter `arg` returns such a borrow (`ReturnBorrow.closure`). */
  readonly closure?: ClosureRelation;
}

/**
 * A relation decided by a closure argument (parameter `arg`): `inputs`, the closure's result
 * borrows from what it receives from `self` (its parameters `params`); `captures`, from what it
 * captured.
 */
export interface ClosureRelation {
  readonly arg: number;
  readonly via: 'inputs' | 'captures';
  /**
   * For `inputs`: the closure's parameters that receive what `self` holds (their types mention
   * `Self` or the impl's parameters: `T` of `map`, `Self::Item` of `fold`, not `fold`'s `B`).
   */
  readonly params?: readonly number[];
}

/** What the lifetime analysis needs to know about std types: lifetime parameter counts and whether they borrow mutably. */
export interface RegionCx {
  /** Lifetime parameters of a std type name (0 when none or not a std type). */
  lifetimeCount(name: string): number;
  /** True when a std type's lifetime is a `&mut` borrow (`IterMut<'a, T>`, `Entry<'a, K, V>`). */
  borrowsMutably(name: string): boolean;
}

/**
 * Region occurrences of a type (`elision.ts` `RegionOcc`): each `&`/`&'r` (`top`: the outermost
 * one, when `top` is set), each `'r` in a path, each unwritten lifetime of a std type (elided).
 */
function regionsOf(t: SigTy, cx: RegionCx, top: boolean, out: RegionOcc[] = []): RegionOcc[] {
  switch (t.k) {
    case 'ref':
      out.push({ region: t.region ?? null, top, mutable: t.mutable });
      regionsOf(t.inner, cx, false, out);
      break;
    case 'ptr':
      regionsOf(t.inner, cx, false, out);
      break;
    case 'tuple':
      t.elems.forEach((e) => regionsOf(e, cx, false, out));
      break;
    case 'slice':
    case 'array':
      regionsOf(t.elem, cx, false, out);
      break;
    case 'path': {
      const n = cx.lifetimeCount(t.name);
      const mutable = cx.borrowsMutably(t.name);
      for (let i = 0; i < Math.max(n, t.regions.length); i++) out.push({ region: t.regions[i] ?? null, top: false, mutable });
      t.args.forEach((a) => regionsOf(a, cx, false, out));
      break;
    }
    case 'assoc':
      regionsOf(t.base, cx, false, out);
      break;
    default:
      // A closure's lifetimes are its own (higher-ranked): no part of the signature's relations.
      break;
  }
  return out;
}

/** Type parameters (`T`, `Self`) a type mentions. */
function paramsOf(t: SigTy, out: Set<string>): Set<string> {
  switch (t.k) {
    case 'ref':
    case 'ptr':
      paramsOf(t.inner, out);
      break;
    case 'tuple':
      t.elems.forEach((e) => paramsOf(e, out));
      break;
    case 'slice':
    case 'array':
      paramsOf(t.elem, out);
      break;
    case 'path':
      if (t.args.length === 0 && t.regions.length === 0 && (/^[A-Z]$/.test(t.name) || t.name === 'Self')) out.add(t.name);
      t.args.forEach((a) => paramsOf(a, out));
      break;
    case 'assoc':
      paramsOf(t.base, out);
      break;
    default:
      break;
  }
  return out;
}

/**
 * A std signature as the relations of `elision.ts` read it. `selfTy` is the impl's self type
 * (`Entry<'a, K, V>`): the receiver's lifetimes and generic parameters.
 */
function sigShape(f: SigFn, selfTy: SigTy | null, cx: RegionCx): SigShape {
  const inputs: SigInput[] = [];
  if (f.self) {
    const own: RegionOcc[] = f.self.kind === 'value' ? [] : [{ region: f.self.region ?? null, top: true, mutable: f.self.kind === 'mut' }];
    inputs.push({
      from: 'self',
      isRef: f.self.kind !== 'value',
      regions: selfTy ? regionsOf(selfTy, cx, false, own) : own,
      params: selfTy ? paramsOf(selfTy, new Set(['Self'])) : new Set(['Self']),
    });
  }
  f.params.forEach((p, i) =>
    inputs.push({
      from: i,
      isRef: p.k === 'ref',
      regions: regionsOf(p, cx, true),
      params: paramsOf(p, new Set()),
      ...(p.k === 'ref' && p.mutable ? { target: { regions: regionsOf(p.inner, cx, false), params: paramsOf(p.inner, new Set()) } } : {}),
    }),
  );
  return { selfKind: f.self?.kind ?? null, inputs, output: { regions: regionsOf(f.ret, cx, true), params: paramsOf(f.ret, new Set()) } };
}

/**
 * Which arguments the result of `f` borrows from (see `ReturnBorrow` in `types.ts`), by the Rust
 * reference's lifetime elision rules as `elision.ts` `resultRelations` applies them: a `referent`
 * relation for the lifetime of an argument's own reference, `carried` for one inside its type,
 * `carried` marked `through` a type parameter the result shares with an argument (`T` in
 * `Option<T>::unwrap(self) -> T`, `Self` in `map(self, f) -> Map<Self, F>`), which holds only
 * when it is instantiated with a type holding a borrow. `selfTy` is the impl's self type
 * (`Entry<'a, K, V>`). Throws `SigError` when an elided output lifetime has no unique source
 * (rustc: E0106): the registry must write such a signature with its lifetimes.
 */
export function returnBorrows(f: SigFn, selfTy: SigTy | null, cx: RegionCx): SigBorrow[] {
  const { relations, noSource } = resultRelations(sigShape(f, selfTy, cx));
  if (noSource) throw new SigError(`\`fn ${f.name}\`: an elided output lifetime has no unique input lifetime (E0106)`);
  // An iterator's items: a relation through `Self` whose result mentions `Self` only as
  // `Self::Item` (`next`, `max`, `find`) holds what the items hold.
  const items = selfTy === null && !mentionsSelfBesidesItem(f.ret);
  const out: SigBorrow[] = relations.map((r) => (items && r.from === 'self' && r.through === 'Self' ? { ...r, items: true } : r));
  const retParams = paramsOf(f.ret, new Set());
  // A type parameter a closure argument returns (`U` of `map<U, F: FnOnce(T) -> U>`): the result
  // holds what the closure's result borrows, its inputs (what `self` gives it) and/or its
  // captures; which, only the closure passed tells (`ReturnBorrow.closure`).
  const outputs = new Set<string>();
  f.params.forEach((p, i) => {
    if (p.k !== 'closure') return;
    const decided = [...paramsOf(p.ret, new Set())].filter((g) => f.generics.includes(g) && retParams.has(g));
    if (!decided.length) return;
    decided.forEach((g) => outputs.add(g));
    const fromSelf = p.params.flatMap((q, j) => ([...paramsOf(q, new Set())].some((g) => !f.generics.includes(g)) ? [j] : []));
    if (f.self && fromSelf.length)
      out.push({ from: 'self', mutable: false, kind: 'carried', closure: { arg: i, via: 'inputs', params: fromSelf } });
    out.push({ from: i, mutable: false, kind: 'carried', closure: { arg: i, via: 'captures' } });
  });
  const closureNames = new Set(f.params.flatMap((p) => (p.k === 'closure' && p.name ? [p.name] : [])));
  // A type parameter of the fn found only in the result of a method taking `self` by value is
  // built from what `self` yields (`collect<B: FromIterator<Self::Item>>`, `sum<S>`): it keeps
  // the items' borrows (`Vec<&str>` from `split_whitespace()`) when its type can hold one.
  if (f.self?.kind === 'value') {
    const argParams = new Set([
      ...(selfTy ? paramsOf(selfTy, new Set(['Self'])) : ['Self']),
      ...f.params.flatMap((p) => [...paramsOf(p, new Set())]),
    ]);
    const built = [...retParams].some((p) => f.generics.includes(p) && !argParams.has(p) && !outputs.has(p) && !closureNames.has(p));
    if (built) out.push({ from: 'self', mutable: false, kind: 'carried', through: 'Self', built: true, ...(items ? { items: true } : {}) });
  }
  return out;
}

/** Whether a type mentions `Self` other than in `Self::Item`. */
function mentionsSelfBesidesItem(t: SigTy): boolean {
  switch (t.k) {
    case 'ref':
    case 'ptr':
      return mentionsSelfBesidesItem(t.inner);
    case 'tuple':
      return t.elems.some(mentionsSelfBesidesItem);
    case 'slice':
    case 'array':
      return mentionsSelfBesidesItem(t.elem);
    case 'path':
      return t.name === 'Self' || t.args.some(mentionsSelfBesidesItem);
    case 'assoc':
      return !(t.base.k === 'path' && t.base.name === 'Self' && t.name === 'Item' && !t.trait) && mentionsSelfBesidesItem(t.base);
    default:
      return false;
  }
}

/** `elision.ts` `StoreRelation`, before instantiation (`from`, `into`: `'self'` or a parameter index). */
export type SigStore = StoreRelation;

/**
 * Which arguments' borrows `f` may store behind one of its `&mut` arguments, by `elision.ts`
 * `storeRelations` (`Vec<T>::push(&mut self, T)`, `mem::swap<T>(&mut T, &mut T)`,
 * `mem::replace(&mut T, T)`). `selfTy` is the impl's self type; `interior`: it holds its
 * parameters in an `UnsafeCell` (`Cell`, `RefCell`, `Mutex`), so a `&self` method may store into
 * it as a `&mut self` one does.
 */
export function storedBorrows(f: SigFn, selfTy: SigTy | null, cx: RegionCx, interior = false): SigStore[] {
  return storeRelations(sigShape(f, selfTy, cx), interior);
}
