/**
 * The lifetime relations of a fn signature, written once for std methods (`std/sig.ts`, over the
 * registry's parsed `SigTy`) and for the file's own fns (`hir/lifetimes.ts`, over HIR `Ty`): each
 * side describes its signature as a `SigShape` (per input and for the result: its region
 * occurrences and generic parameters) and reads the relations off it here.
 *
 * The rules (Rust reference, "Lifetime elision" > "Lifetime elision in functions"; rustc:
 * `rustc_resolve::late::LateResolutionVisitor::resolve_fn_params`):
 * - each elided lifetime in the inputs is a distinct lifetime parameter;
 * - an elided lifetime in the result takes the lifetime of `&self` / `&mut self` when the receiver
 *   is a reference; otherwise, when exactly one parameter mentions lifetimes and they are all one
 *   lifetime (elided or named), that one; otherwise it has no source (E0106). A receiver taken by
 *   value is written `self: Self`, which mentions no lifetime: it is no source, whatever the
 *   impl's self type holds (rustc reports E0106 for `fn f(self) -> &str` in `impl<'a> P<'a>`);
 * - a named lifetime in the result ties it to every argument mentioning it; `'static` ties
 *   nothing;
 * - a generic parameter mentioned by the result and an argument carries what that argument holds
 *   (`Option<T>::unwrap(self) -> T`), when it is instantiated with a type holding a borrow.
 *
 * And what a call may store behind its `&mut` arguments (rustc: the outlives relations of the
 * instantiated signature, `T: 'a` for each generic shared between the arguments; `&mut T` is
 * invariant in `T`): a `&mut self` method stores every argument mentioning the receiver type's
 * generic parameters or named lifetimes (`Vec<T>::push(&mut self, T)`); a `&mut X` parameter
 * receives every other argument sharing a generic parameter or a named lifetime with `X`
 * (`mem::swap<T>(&mut T, &mut T)`).
 *
 * This module imports nothing: the two type walkers depend on it, not it on them.
 */

/** One lifetime position in a type: each `&`, each lifetime argument of a path (written or not). */
export interface RegionOcc {
  /** The lifetime as written (`'a`, `'static`); null when elided (`&T`, `'_`, a path's unwritten lifetime). */
  readonly region: string | null;
  /** The parameter's own outermost reference (`&T` as a whole): the loan the argument is. */
  readonly top: boolean;
  /** A `&mut` reference, or a lifetime of a type that borrows mutably (`IterMut<'a, T>`). */
  readonly mutable: boolean;
}

/** The lifetimes and generic parameters a type mentions. */
export interface SigPart {
  /** In the order written, depth first. */
  readonly regions: readonly RegionOcc[];
  /** Generic parameter names (`T`, `Self`). */
  readonly params: ReadonlySet<string>;
}

/** An input of a signature: the receiver or a declared parameter. */
export interface SigInput extends SigPart {
  /** `'self'`, or the 0-based index among the declared parameters after `self`. */
  readonly from: 'self' | number;
  /** The parameter's type is a reference (`&T`, `&mut T`; for the receiver, `&self` / `&mut self`). */
  readonly isRef: boolean;
  /** For a `&mut X` parameter (not the receiver): what it points to, `X`. */
  readonly target?: SigPart;
}

/**
 * A signature as the relations need it. `inputs`: the receiver first when `selfKind` is not null
 * (its regions: its own reference when by reference, marked `top`, then the receiver type's; its
 * params: the receiver type's, and `Self`), then the declared parameters in order.
 */
export interface SigShape {
  readonly selfKind: 'value' | 'ref' | 'mut' | null;
  readonly inputs: readonly SigInput[];
  readonly output: SigPart;
}

/**
 * The result may hold a borrow of argument `from`: `referent` when the result's lifetime is that
 * of the argument's own outermost reference (`fn as_str(&self) -> &str`: the result borrows what
 * `self` points to, and the loan `self` is); `carried` when it is a lifetime inside the argument's
 * type, or the argument's generic parameter `through` (the result keeps what the argument holds).
 * `mutable`: that reference or lifetime is a mutable borrow.
 */
export interface ResultRelation {
  readonly from: 'self' | number;
  readonly mutable: boolean;
  readonly kind: 'referent' | 'carried';
  /** The generic parameter the relation flows through: it exists only when that parameter is instantiated with a borrowing type. */
  readonly through?: string;
}

/** The result's relations, and whether an elided lifetime of the result had no source (rustc: E0106; those occurrences tie nothing). */
export interface ResultRelations {
  readonly relations: ResultRelation[];
  readonly noSource: boolean;
}

/**
 * What argument `from` holds may be stored into what the `&mut` argument `into` points to: its
 * own borrows (`via: 'value'`: `push(&mut self, T)`, or a reference whose own lifetime the target
 * names, `add(&mut self, &'b i32)` on a `Log<'b>`), or, for a reference argument, only what it
 * points to holds (`'referent'`: `extend_from_slice(&mut self, &[T])`).
 */
export interface StoreRelation {
  readonly from: 'self' | number;
  readonly into: 'self' | number;
  readonly via: 'value' | 'referent';
}

/**
 * The relations between a signature's result and its arguments, by the elision rules above.
 * Relations come in the order of the result's lifetimes, then its generic parameters; one per
 * argument, kind and parameter (`mutable` when any of them is).
 */
export function resultRelations(sig: SigShape): ResultRelations {
  // Elided input lifetimes are distinct: name each by its position.
  const names = sig.inputs.map((inp, i) =>
    inp.regions.map((o, j) => (o.region === null || o.region === "'_" ? `'_elided${i}.${j}` : o.region)),
  );
  const source = elisionSource(sig, names);
  const out: ResultRelation[] = [];
  const add = (b: ResultRelation): void => {
    const i = out.findIndex((x) => x.from === b.from && x.kind === b.kind && x.through === b.through);
    if (i < 0) out.push(b);
    else if (b.mutable && !out[i].mutable) out[i] = { ...out[i], mutable: true };
  };
  let noSource = false;
  for (const o of sig.output.regions) {
    let region = o.region === "'_" ? null : o.region;
    if (region === null) {
      if (source === undefined) {
        noSource = true;
        continue;
      }
      region = source;
    }
    if (region === "'static") continue;
    sig.inputs.forEach((inp, i) =>
      inp.regions.forEach((io, j) => {
        if (names[i][j] === region) add({ from: inp.from, mutable: io.mutable, kind: io.top ? 'referent' : 'carried' });
      }),
    );
  }
  for (const p of sig.output.params)
    for (const inp of sig.inputs) if (inp.params.has(p)) add({ from: inp.from, mutable: false, kind: 'carried', through: p });
  return { relations: out, noSource };
}

/** The lifetime an elided output lifetime takes (a name from `names`), or undefined when none is unique. */
function elisionSource(sig: SigShape, names: readonly (readonly string[])[]): string | undefined {
  const self = sig.selfKind === 'ref' || sig.selfKind === 'mut' ? sig.inputs.findIndex((x) => x.from === 'self') : -1;
  if (self >= 0) {
    const own = sig.inputs[self].regions.findIndex((o) => o.top);
    if (own >= 0) return names[self][own];
  }
  const candidates = sig.inputs.flatMap((inp, i) => (inp.from !== 'self' && inp.regions.length ? [new Set(names[i])] : []));
  return candidates.length === 1 && candidates[0].size === 1 ? [...candidates[0]][0] : undefined;
}

/**
 * What a call may store behind its `&mut` arguments, by the rule above. `interior`: the
 * receiver's type holds its parameters in an `UnsafeCell` (`Cell`, `RefCell`, `Mutex`), so a
 * `&self` method may store into it as a `&mut self` one does. One relation per (from, into).
 */
export function storeRelations(sig: SigShape, interior = false): StoreRelation[] {
  const out: StoreRelation[] = [];
  const add = (s: StoreRelation): void => {
    if (!out.some((x) => x.from === s.from && x.into === s.into)) out.push(s);
  };
  const named = (regions: readonly RegionOcc[]): Set<string> =>
    new Set(regions.flatMap((o) => (o.region === null || o.region === "'_" || o.region === "'static" ? [] : [o.region])));
  const shares = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => [...a].some((x) => b.has(x));
  // A reference argument whose own lifetime is one the target names is stored itself
  // (`fn add(&mut self, x: &'b i32)` in `impl<'b> Log<'b>`); otherwise only what it points to.
  const via = (inp: SigInput, targetRegions: ReadonlySet<string>): StoreRelation['via'] =>
    inp.isRef && !inp.regions.some((o) => o.top && o.region !== null && targetRegions.has(o.region)) ? 'referent' : 'value';
  const params = sig.inputs.filter((x) => x.from !== 'self');
  const self = sig.inputs.find((x) => x.from === 'self');
  if (self && (sig.selfKind === 'mut' || (interior && sig.selfKind === 'ref'))) {
    // The receiver type's lifetimes, not the lifetime of `&'a mut self` itself.
    const selfRegions = named(self.regions.filter((o) => !o.top));
    for (const p of params)
      if (shares(p.params, self.params) || shares(named(p.regions), selfRegions))
        add({ from: p.from, into: 'self', via: via(p, selfRegions) });
  }
  for (const p of params) {
    if (!p.target) continue;
    const targetRegions = named(p.target.regions);
    for (const q of params)
      if (q !== p && (shares(q.params, p.target.params) || shares(named(q.regions), targetRegions)))
        add({ from: q.from, into: p.from, via: via(q, targetRegions) });
  }
  return out;
}
