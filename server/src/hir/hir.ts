/**
 * HIR: the file's items and function bodies after lowering from tree-sitter's CST
 * (`syntax/lower.ts`), with names resolved to locals and items, and types filled in by
 * `hir/infer.ts`. Macros the engine understands (`println!`, `vec!`, ...) are already expanded
 * into ordinary expressions here.
 *
 * Spans are LSP ranges: 0-based lines, 0-based UTF-16 columns.
 */
import type { Range } from 'vscode-languageserver-protocol';
import type { Ty } from './ty';
import { DefMap } from './defmap';

export type Span = Range;

/**
 * A Rust edition. It changes what closures capture (2021: disjoint fields, RFC 2229) and when
 * temporaries in a block's tail expression are dropped (2024).
 */
export type Edition = '2015' | '2018' | '2021' | '2024';

/** Index of a local (binding, argument) within its function; 0 is unused (rustc's return place). */
export type LocalId = number;

// --- items

/**
 * Everything the engine knows about one file. Items are keyed as `hir/defmap.ts` says: fns by
 * their full path (`a::Point::new`), ADTs, traits, consts and statics by the path rustc prints
 * (the bare name unless another item of the file has it).
 */
export interface FileHir {
  /** Every fn with a signature in the file (free fns, methods, trait methods, nested fns), in source order. */
  fns: FnDef[];
  /** `fns` by `FnDef.qualName`. */
  fnByPath: Map<string, FnDef>;
  /** Structs, enums and unions by key. */
  adts: Map<string, AdtDef>;
  impls: ImplDef[];
  traits: Map<string, TraitDef>;
  consts: Map<string, ConstDef>;
  statics: Map<string, ConstDef>;
  /** Names imported from outside the file anywhere in it (`use` of other crates, extern crates); a summary: resolution uses `defs`. */
  imported: Set<string>;
  /** Names imported from `std`/`core`/`alloc` anywhere in the file (`use std::rc::Rc;`); a summary: resolution uses `defs`. */
  stdImported: Set<string>;
  /** The file's items by path and its module scopes (name resolution). */
  defs: DefMap;
  /** Constructs skipped during lowering, with where and why; surfaced in hovers, never as errors. */
  unsupported: { span: Span; what: string }[];
}

/** A file with no items (`defs`: its items and scopes, empty unless given). */
export function emptyFile(defs: DefMap = new DefMap()): FileHir {
  return {
    fns: [],
    fnByPath: new Map(),
    adts: new Map(),
    impls: [],
    traits: new Map(),
    consts: new Map(),
    statics: new Map(),
    imported: new Set(),
    stdImported: new Set(),
    unsupported: [],
    defs,
  };
}

export interface AdtDef {
  /** The key in `FileHir.adts`, also the name types display (`Point`, or `a::Point` when ambiguous). */
  name: string;
  /** Full path from the crate root (`a::Point`). */
  path: string;
  kind: 'struct' | 'enum' | 'union';
  /** Generic parameter names in order (`T`, `U`; lifetimes excluded). */
  generics: string[];
  /** Lifetime parameters in order (`'a`): a value of this type may hold borrows. */
  lifetimes: string[];
  /** For structs/unions: fields in declaration order (tuple structs use names `0`, `1`, ...). */
  fields: FieldDef[];
  /** For enums: variants in declaration order. */
  variants: VariantDef[];
  /** Traits in `#[derive(...)]`, e.g. `Clone`, `Copy`, `Debug`. */
  derives: string[];
  /** True when the file has `impl Drop for Name`. */
  hasDropImpl: boolean;
  /** True when the file has `impl Copy for Name` / `impl Clone for Name` by hand. */
  implsCopy: boolean;
  /**
   * The self type's arguments in the hand-written `impl Copy` (`impl<T: Trait + Copy> Copy for
   * S<T>`: `[T]`, the parameter with its bounds), by which `S<X>` is Copy only when each `X`
   * meets them; absent without such an impl.
   */
  copyImplArgs?: Ty[];
  /**
   * The lifetimes written on the hand-written `impl Copy`'s self type (`impl Copy for
   * Foo<'static>`: `['static]`): a copy of a `Foo<'x>` needs `'x` to be those; absent when none
   * are written.
   */
  copyImplRegions?: string[];
  implsClone: boolean;
  /** `#[repr(C)]` and friends, as written inside `repr(...)`. */
  repr: string[];
  span: Span;
  nameSpan: Span;
}

export interface FieldDef {
  name: string;
  ty: Ty;
  span: Span;
}

export interface VariantDef {
  name: string;
  /** `unit`: `A`; `tuple`: `A(i32)` (fields named `0`...); `struct`: `A { x: i32 }`. */
  shape: 'unit' | 'tuple' | 'struct';
  fields: FieldDef[];
  /** Explicit discriminant when written as an integer literal. */
  discriminant?: number;
}

export interface ImplDef {
  /** The self type's name (`Point`), or its display for non-ADT self types. */
  selfTy: Ty;
  traitName?: string;
  generics: string[];
  /** `impl<'a> ...`: lifetime parameters of the impl. */
  lifetimes: string[];
  methods: FnDef[];
  /** The impl's associated types by name (`type Target = T;` in `impl Deref for P<T>`), in the impl's generics. */
  assocTys?: Record<string, Ty>;
  span: Span;
}

export interface TraitDef {
  /** Key in `FileHir.traits` (as `AdtDef.name`). */
  name: string;
  /** Full path from the crate root. */
  path: string;
  methods: FnDef[];
  span: Span;
}

export interface ConstDef {
  /** Key in `FileHir.consts` / `statics` (as `AdtDef.name`). */
  name: string;
  /** Full path from the crate root. */
  path: string;
  ty: Ty;
  mutable: boolean;
  init: Expr | null;
  span: Span;
  nameSpan: Span;
}

/** How a method takes `self` (Rust reference, "Associated items: methods"). */
export type SelfKind = 'value' | 'ref' | 'mut';

export interface FnDef {
  /** Name as written (`new`). */
  name: string;
  /**
   * The fn's path, unique in the file (rustc's DefPath; `hir/defmap.ts`): `main`, `a::b::main`,
   * `a::Point::new`, `Trait::method`, `main::helper` for a fn declared in `main`'s body. The key
   * of its MIR body.
   */
  qualName: string;
  /** Self type name for methods and associated functions. */
  implOf?: string;
  traitName?: string;
  selfKind: SelfKind | null;
  /** `mut self` */
  selfMutable: boolean;
  generics: string[];
  /** Lifetime parameters in scope in order (`'a`), the impl's first, then the fn's own. */
  lifetimes: string[];
  /**
   * The trait bounds of the fn's own generic parameters, from `<F: Fn(i32)>` and `where`
   * clauses, by parameter name: the traits' last path segments (`Fn`, `FnMut`, `Clone`).
   */
  bounds?: Record<string, string[]>;
  /**
   * Lifetime facts of the same bounds (Rust reference, "Trait and lifetime bounds"): the generic
   * parameters bounded by `'static` (`T: 'static`, `where F: Send + 'static`), and for a parameter
   * bounded `Fn(A, ..)` / `FnMut` / `FnOnce`, per argument of that signature whether it holds an
   * elided reference (`Fn(&i32)`: a higher-ranked region, `for<'x> Fn(&'x i32)`, so a closure
   * passed there gets a region of its own for that parameter). `outlives`: the other lifetime
   * bounds (`A: 'a`, `'b: 'a`): a value of type `A` (a reference of `'b`) may hold borrows that `'a` then covers.
   */
  regionBounds?: { static: string[]; fnArgsElided: Record<string, boolean[]>; outlives?: Record<string, string[]> };
  /**
   * The signatures of the closure-trait bounds of the fn's own generic parameters (`where F:
   * FnOnce(&S) -> Vec<isize>`), by parameter name: what a closure passed there receives and
   * returns (rustc deduces a closure's signature from the expected bound). Only bounds whose
   * argument and result types are all known.
   */
  callBounds?: Record<string, { trait: 'Fn' | 'FnMut' | 'FnOnce'; params: Ty[]; ret: Ty }>;
  /**
   * For a fn of an impl: the impl's self type as written (`A<'a, T>`) and how many of `generics`
   * and `lifetimes` are the impl's (they come first).
   */
  implParams?: { selfTy: Ty; types: number; lifetimes: number };
  /** The lifetime written on `&'a self` / `&'a mut self`, absent when elided. */
  selfRegion?: string;
  params: Param[];
  ret: Ty;
  /** Null for trait methods without a default body and `extern` declarations. */
  body: Block | null;
  /** All bindings of the function (arguments first), indexed by `LocalId`; index 0 is empty. */
  locals: LocalDecl[];
  span: Span;
  nameSpan: Span;
}

/** Generic arguments written in a path segment, types and lifetimes each in order. */
export interface UserArgs {
  types: Ty[];
  regions: string[];
}

export interface Param {
  pat: Pat;
  ty: Ty;
  span: Span;
}

/** A binding introduced by a pattern (`let`, argument, match arm, closure parameter, `for`). */
export interface LocalDecl {
  id: LocalId;
  name: string;
  mutable: boolean;
  /** `ref` / `ref mut` binding mode as written. */
  byRef: 'ref' | 'ref mut' | null;
  ty: Ty;
  /** The identifier's range. */
  span: Span;
  kind: 'arg' | 'self' | 'let' | 'match' | 'for' | 'closure-param' | 'if-let' | 'while-let';
  /** For bindings inside closures: the closure expression id. */
  closure?: number;
}

// --- patterns

export type Pat = { span: Span } & (
  | { kind: 'binding'; local: LocalId; sub?: Pat }
  | { kind: 'wild' }
  | { kind: 'rest' }
  | { kind: 'lit'; expr: Expr }
  /** `lo..=hi`, `lo..hi`, `lo..`, `..=hi`: bounds are literal or constant expressions (Rust reference, "Range patterns"). */
  | { kind: 'range'; lo: Expr | null; hi: Expr | null; inclusive: boolean }
  | { kind: 'tuple'; pats: Pat[] }
  | { kind: 'slice'; pats: Pat[] }
  /** `Name { a, b: p, .. }`, also enum struct variants (`path` is `Enum::Variant`). */
  | { kind: 'struct'; path: string; fields: { name: string; pat: Pat }[]; rest: boolean }
  /**
   * `Some(x)`, `Point(a, b)`, `Enum::V(x)`. `userArgs`: generic arguments written on the path
   * (`Foo::<'static>(z)`), rustc's user type annotation on the pattern.
   */
  | { kind: 'tupleStruct'; path: string; pats: Pat[]; userArgs?: UserArgs }
  /** A path pattern: `None`, `Enum::A`, a const. */
  | { kind: 'path'; path: string }
  | { kind: 'ref'; mutable: boolean; pat: Pat }
  | { kind: 'or'; pats: Pat[] }
  | { kind: 'unknown'; text: string }
);

// --- expressions

export type ExprId = number;

/** What a path expression names. */
export type Res =
  | { kind: 'local'; local: LocalId }
  /**
   * A fn by qualName (`main`, `Point::new`, `<Point as Display>::fmt`), or a trait method
   * `Trait::m` called by path (`Trait::m(&x)`, or `<X as Trait>::m` with `selfTy` = X), whose
   * impl type checking picks from the `Self` type.
   */
  | { kind: 'fn'; name: string; selfTy?: Ty }
  | { kind: 'const'; name: string }
  | { kind: 'static'; name: string }
  /** A unit struct or a fieldless/tuple enum variant or tuple struct constructor. */
  | { kind: 'ctor'; adt: string; variant?: string }
  /** A std path the engine models (`String::from`, `Vec::new`, `Some`, `None`). */
  | { kind: 'std'; path: string }
  | { kind: 'unknown'; text: string };

export type BinOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type Lit =
  | { kind: 'int'; value: bigint; suffix?: string }
  | { kind: 'float'; value: number; suffix?: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'char'; value: string }
  /** A string literal's decoded text; it lives in static memory. */
  | { kind: 'str'; value: string }
  /** A byte string literal's decoded bytes, one char per byte (each char code is below 256). */
  | { kind: 'bytestr'; value: string };

/** One part of a format string: literal text or an argument (by its index in `args`). */
export type FormatPiece = { kind: 'text'; text: string } | { kind: 'arg'; index: number; spec: string };

export type Expr = { id: ExprId; span: Span; ty: Ty } & ExprKind;

export type ExprKind =
  | { kind: 'lit'; lit: Lit }
  /**
   * `userArgs`: generic arguments written on the path's last segment (`f::<&'a u32>`,
   * `Variant::<T>`); `selfArgs`: on its type segment (`A::<'a>::new`, `E::<T>::Variant`). rustc's
   * user type annotations: the values passed must outlive the regions named there.
   */
  | { kind: 'path'; res: Res; text: string; userArgs?: UserArgs; selfArgs?: UserArgs }
  | { kind: 'call'; callee: Expr; args: Expr[] }
  | { kind: 'methodCall'; receiver: Expr; method: string; methodSpan: Span; args: Expr[]; turbofish: Ty[] }
  | { kind: 'field'; base: Expr; name: string; nameSpan: Span }
  | { kind: 'index'; base: Expr; index: Expr }
  | { kind: 'unary'; op: 'deref' | 'not' | 'neg'; operand: Expr }
  | { kind: 'ref'; mutable: boolean; operand: Expr }
  | { kind: 'binary'; op: BinOp; lhs: Expr; rhs: Expr }
  | { kind: 'assign'; lhs: Expr; rhs: Expr }
  | { kind: 'compoundAssign'; op: BinOp; lhs: Expr; rhs: Expr }
  | { kind: 'block'; block: Block }
  | { kind: 'if'; cond: Expr; then: Block; else: Expr | null }
  /** `let PAT = EXPR` inside `if` / `while` conditions (and `&&` chains of them). */
  | { kind: 'let'; pat: Pat; init: Expr }
  | { kind: 'match'; scrutinee: Expr; arms: MatchArm[] }
  | { kind: 'loop'; body: Block; label?: string }
  | { kind: 'while'; cond: Expr; body: Block; label?: string }
  | { kind: 'for'; pat: Pat; iter: Expr; body: Block; label?: string }
  | { kind: 'break'; label?: string; value: Expr | null }
  | { kind: 'continue'; label?: string }
  | { kind: 'return'; value: Expr | null }
  /** `name`: its body's path, `main::{closure#0}` (rustc's DefPath), the key of its MIR body. */
  | {
      kind: 'closure';
      name: string;
      params: Param[];
      body: Expr;
      moveCapture: boolean;
      captures: Capture[];
      /** The parameter list with its bars (`||`, `|s: &str|`): rustc's `fn_decl_span`. */
      head?: Span;
    }
  | { kind: 'tuple'; elems: Expr[] }
  | { kind: 'array'; elems: Expr[] }
  | { kind: 'arrayRepeat'; elem: Expr; count: Expr }
  | {
      kind: 'structLit';
      path: string;
      /** Generic arguments written on the path (`S::<&'static u32> { .. }`). */
      userArgs?: UserArgs;
      adt: string;
      variant?: string;
      fields: { name: string; expr: Expr; span: Span }[];
      base: Expr | null;
    }
  | { kind: 'range'; start: Expr | null; end: Expr | null; inclusive: boolean }
  | { kind: 'cast'; expr: Expr; target: Ty }
  | { kind: 'try'; expr: Expr }
  /**
   * A formatting macro (`println!`, `print!`, `eprintln!`, `format!`, `panic!`, `write!`...).
   * Arguments are taken by shared reference, as `format_args!` does. `format!` yields a String;
   * `panic!` diverges.
   */
  | { kind: 'format'; macro: string; pieces: FormatPiece[]; args: Expr[] }
  /** `vec![a, b]`, `vec![x; n]` (`repeat` set). */
  | { kind: 'vec'; elems: Expr[]; repeat: Expr | null }
  /** `assert!(c, ...)`, `assert_eq!(a, b, ...)`, `assert_ne!`, `debug_assert*`: operands by reference. */
  | { kind: 'assert'; macro: string; args: Expr[]; message: Expr | null }
  /** `dbg!(e)` moves its argument and returns it. */
  | { kind: 'dbg'; args: Expr[] }
  /**
   * A construct the engine does not model; its subexpressions are still visited (as reads).
   * `writes`: locals named inside an unknown macro, which it may initialise
   * (`parenthesized!(content in input)`); treated as written, never as errors.
   */
  | { kind: 'unknown'; text: string; children: Expr[]; writes?: LocalId[] };

export interface MatchArm {
  pat: Pat;
  guard: Expr | null;
  body: Expr;
  span: Span;
}

/** A closure capture, computed from the closure body (rustc: "closure capture analysis"). */
export interface Capture {
  local: LocalId;
  mode: 'ref' | 'mut' | 'move';
  /** First use in the closure body that decided the mode. */
  span: Span;
}

export type Stmt =
  | { kind: 'let'; pat: Pat; tyAnnot: Ty | null; init: Expr | null; elseBlock: Block | null; span: Span }
  | { kind: 'expr'; expr: Expr; semi: boolean; span: Span }
  /** A nested item; nested fns are lowered into `FileHir.fns`. */
  | { kind: 'item'; span: Span };

export interface Block {
  stmts: Stmt[];
  tail: Expr | null;
  span: Span;
  unsafe: boolean;
}
