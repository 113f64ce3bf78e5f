/**
 * The shapes of the std model (`registry.ts` composes them): what one std type is (`StdTypeDef`),
 * one impl block of methods written as Rust (`StdImplDef`), a family module bundling both
 * (`StdFamily`), and the lifetime relation of a method's result (`ReturnBorrow`).
 *
 * Everything here is data. Rust-written strings (types, signatures, definitions) are parsed once
 * by `sig.ts`; the layout calculator (`layout/layout.ts`), the type checker (`hir/`), the MIR
 * builder, the borrow checker and the interpreter read them through `registry.ts`.
 */

/** Three-valued trait rule: always, never, or when every type argument has the trait. */
export type TraitRule = 'always' | 'never' | 'if-args';

/**
 * The heap allocation a value of the type owns (null/absent: none of its own). One formula per
 * shape gives the block's bytes (`layout/layout.ts` `heapBlockBytes`):
 * - `buffer`: a RawVec of `elem` (String: `u8`, Vec/VecDeque: `T`): capacity × size_of::<elem>().
 * - `box`: one `elem` (Box<T>: `T`).
 * - `counted`: one `block` (`RcInner<T>` / `ArcInner<T>`, strong and weak counts then the value);
 *   handles share it; the value drops at strong 0, the block is freed at weak 0.
 * - `weak`: a weak handle on a `counted` block of the type `of` (Weak<T> on Rc<T>'s block).
 * - `table`: hashbrown's table of `elem` slots (`(K, V)`, or `T` for sets): buckets × slot, rounded
 *   to the group alignment, + one control byte per bucket + one group (16 bytes on x86_64).
 * - `btree`: B-tree nodes (`node`, a `LeafNode<K, V>` of 11 key/value slots); entries in key order.
 */
export type HeapShape =
  | { readonly kind: 'buffer'; readonly elem: string; readonly ring?: boolean }
  | { readonly kind: 'box'; readonly elem: string }
  | { readonly kind: 'counted'; readonly elem: string; readonly block: string; readonly atomic?: boolean }
  | { readonly kind: 'weak'; readonly elem: string; readonly of: string }
  | { readonly kind: 'table'; readonly elem: string; readonly set?: boolean }
  | { readonly kind: 'btree'; readonly elem: string; readonly node: string; readonly set?: boolean };

/** A niche of a fixed layout (see `layout/layout.ts` `Niche`). */
export interface FixedNiche {
  readonly offset: number;
  readonly size: number;
  readonly available: bigint;
}

/**
 * How `layout/layout.ts` computes the type's layout on x86_64:
 * - `def`: from the Rust definition `StdTypeDef.def`, with rustc's own rules (field reordering,
 *   niches, enum tags): `Option`, `RefCell`, `Mutex`, `RcInner`...
 * - `fixed`: private internals, measured with rustc (`test/layout/layout.test.ts` re-checks them).
 * - `pointer`: `NonNull<T>`: thin (8 bytes) when `T: Sized`, fat (16) otherwise; a null niche.
 * - `unsafe-cell`: the layout of `T` with its niches hidden (rustc `is_special_no_niche`).
 */
export type LayoutSpec =
  | 'def'
  | 'pointer'
  | 'unsafe-cell'
  | {
      readonly size: number;
      readonly align: number;
      readonly fields?: readonly { readonly name: string; readonly offset: number; readonly size: number }[];
      readonly niche?: FixedNiche;
    };

/** `Index<I>` impls: `v[i]` (`usize`), `v[a..b]` (`range`), `m[&k]` (`key`), with `Output`. */
export interface IndexRule {
  readonly by: 'usize' | 'range' | 'key';
  readonly output: string;
}

/** One std type. Rust-written type strings use the type's own parameter names (`T`, `K`, `V`). */
export interface StdTypeDef {
  /** As written without path (`Rc`, `HashMap`). Unique in the registry. */
  readonly name: string;
  /** Canonical path (`std::rc::Rc`). */
  readonly path: string;
  /**
   * Other std types this entry stands for, of the same shape (`Iter<'a, T>` is `slice::Iter`,
   * and also `vec_deque::Iter`, `hash_set::Iter`, `option::Iter`...): one registry entry, one
   * name as the engine prints it, several paths in std.
   */
  readonly alsoAt?: readonly string[];
  /** Generic type parameters in order (`T`, `K`, `V`, `E`). */
  readonly params: readonly string[];
  /** Lifetime parameters (`Ref<'b, T>`): a value of the type holds a borrow for that long. */
  readonly lifetimes?: readonly string[];
  /** The borrow it holds is a `&mut` one (`IterMut<'a, T>`, `Entry<'a, K, V>`, `Drain<'a, T>`). */
  readonly mutBorrow?: boolean;
  /**
   * Its `Drop` impl uses the borrow it holds (no `#[may_dangle]`: `Ref`, `RefMut`, lock guards
   * release it): the borrow must still be live where the value is dropped (rustc's drop-liveness).
   */
  readonly dropUsesBorrow?: boolean;
  /** In the std prelude: usable without `use` (Rust reference, "Preludes"). */
  readonly prelude?: boolean;
  /** Part of std's private representation (`RcInner`): never a name a program can write. */
  readonly internal?: boolean;
  /** Copy (Rust reference, "Special types and traits"); `if-args`: when all arguments are. */
  readonly copy: TraitRule;
  readonly clone: TraitRule;
  /** `Cell<T>: Clone` needs `T: Copy`. */
  readonly cloneNeedsCopy?: boolean;
  /** rustc `needs_drop`: `always` for a Drop impl, `if-args` for plain wrappers. */
  readonly needsDrop: TraitRule;
  /** `Default` (`if-args`: when the arguments are); absent: not Default or unknown. */
  readonly default?: 'always' | 'if-args';
  /** `Display` (`if-args`: when the first argument is). */
  readonly display?: 'always' | 'if-args';
  /**
   * `Deref::Target` as Rust (`str`, `[T]`, `T`). `builtin`: the deref is a place projection rustc
   * builds without calling `Deref::deref` (only `Box`). `mutable`: there is a `DerefMut`.
   */
  readonly deref?: { readonly target: string; readonly builtin?: boolean; readonly mutable?: boolean };
  /** The heap block a value owns (see `HeapShape`). */
  readonly heap?: HeapShape;
  /** The representation, as a Rust `struct`/`enum` item (layouts with `'def'`, enum variants for patterns). */
  readonly def?: string;
  /** How its layout is computed; null: not known (the hover says so). */
  readonly layout: LayoutSpec | null;
  readonly index?: readonly IndexRule[];
  /** `IntoIterator::Item` for the value, `&`-reference and `&mut`-reference (`for x in v` / `&v` / `&mut v`). */
  readonly intoIter?: { readonly value?: string; readonly ref?: string; readonly mut?: string };
  /** `impl FromIterator<A>` (what `collect()` into the type takes, `A` as Rust: `T` for `Vec<T>`, `(K, V)` for `HashMap<K, V>`). */
  readonly fromIter?: string;
  /** For iterator types: `Iterator::Item` (`&'a T` for `slice::Iter<'a, T>`; `?` when unknown). */
  readonly iterator?: { readonly item: string };
}

/**
 * One impl block of std, as Rust: `self` is the implementing type with its parameters
 * (`Vec<T>`, `[T]`, `Entry<'a, K, V>`) or a category the engine groups (`int`, `float`,
 * `Iterator` for every iterator type, `any` for the blanket trait methods); `fns` maps each
 * method name to its signature (`fn push(&mut self, value: T)`). Conventions in signatures:
 * - `?` is a type the engine does not model (patterns, `impl Trait`);
 * - a closure parameter is written with its bound, `f: impl FnOnce(T) -> U`, or as rustc does,
 *   `<B, F: FnMut(Self::Item) -> B>(self, f: F) -> Map<Self, F>` when the result names the
 *   closure's own type; a type parameter the closure returns (`U`, `B`) is bound by what the
 *   closure passed returns, and what such a result borrows that closure decides
 *   (`ReturnBorrow.closure`);
 * - `B: FromIterator<Self::Item>` / `B: Extend<Self::Item>` (`collect`, `partition`): `B`'s
 *   element is bound from the items (`StdTypeDef.fromIter`);
 * - lifetimes follow Rust: elided ones by the elision rules, `'_` in paths (`Iter<'_, T>`),
 *   named ones declared on the impl (`Entry<'a, K, V>`) or the fn (`fn leak<'a>`);
 * - `Self::Item` / `I::Item` is an iterator's item, `<U as IntoIterator>::Item` what a `for`
 *   loop over `U` binds, `T::Target` a deref target, `F::Output` what a closure or fn returns;
 * - `where T = &U` binds `U` from `T` (the method exists only then); `where T: Bound` with the
 *   bounds `Clone`, `Copy`, `Default`, `Deref`, `DerefMut`, `Signed`, `Unsigned`, `StrLike` (`String` or `&str`), `IsResult` / `IsOption` (a `Result` / an `Option`: `transpose`).
 */
export interface StdImplDef<N extends string = string> {
  readonly self: string;
  /** The trait this impl implements (`Iterator`, `Clone`), absent for inherent methods. */
  readonly trait?: string;
  readonly fns: { readonly [K in N]: string };
}

/** A family module: its types, impls and macros (`string.ts`, `vec.ts`, ...). */
export interface StdFamily {
  /** Module name (`vec`), for messages and the coverage report. */
  readonly name: string;
  readonly types: readonly StdTypeDef[];
  readonly impls: readonly StdImplDef[];
  /** Ids of callables without a Rust signature: macros (`println!`, `vec!`) and operators (`AddAssign::add_assign`). */
  readonly builtins?: readonly string[];
  /** Functions of the family a program may call without a path, being in the prelude (`drop`). */
  readonly prelude?: readonly string[];
}

/**
 * What a method's result borrows, derived from its written signature (`sig.ts` `returnBorrows`):
 * - `kind: 'referent'`: a new borrow of what the argument refers to (`fn as_str(&self) -> &str`:
 *   the result borrows `*self`, the String); `mutable` when the result's region is that of a
 *   `&mut` argument (`get_mut`, `iter_mut`, `entry`).
 * - `kind: 'carried'`: the argument is a value holding borrows (or a reference to one), and the
 *   result keeps those borrows (`Option<&T>::unwrap(self) -> T`, `Iterator::next`, `Entry::or_insert`);
 *   `mutable` when a carried borrow is `&mut`. On an instantiated method (`StdMethod.returnBorrows`)
 *   carried relations are left out when the argument's type surely holds no borrow.
 * `from` is `'self'` or the 0-based index among the parameters after `self` (for associated
 * functions called by path, among all parameters).
 */
export interface ReturnBorrow {
  readonly from: 'self' | number;
  readonly mutable: boolean;
  readonly kind: 'referent' | 'carried';
  /** Only when the result's instantiated type can hold a borrow (`SigBorrow.built`: `collect`). */
  readonly built?: true;
  /**
   * The result holds what the receiver's items hold (`Option<Self::Item>` of `next`, `max`; what
   * `collect` builds): of an adapter whose items a closure returns (`Map<I, F>`), only what that
   * closure's result borrows.
   */
  readonly items?: true;
  /**
   * The relation holds only when the closure passed as parameter `arg` (indices as `from`)
   * returns a borrow of its inputs (`via: 'inputs'`: what the receiver gives it) or of its
   * captures (`via: 'captures'`): `opt.map(|s| s.as_str())` vs `opt.map(|_| &v[0])`. Resolved by
   * the MIR builder from the closure's body (`hir/closureResult.ts`); unresolved, it holds not.
   */
  readonly closure?: { readonly arg: number; readonly via: 'inputs' | 'captures'; readonly params?: readonly number[] };
}
