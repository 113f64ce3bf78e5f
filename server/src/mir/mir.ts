/**
 * MIR: one control-flow graph per function over places, in rustc's shape
 * (rustc_middle::mir: `Body`, `BasicBlock`, `Statement`, `Terminator`, `Place`, `Operand`,
 * `Rvalue`). Built from HIR by `mir/build.ts`; read by `borrowck/` and `interp/`.
 *
 * Local 0 is the return place (`_0`), then the arguments (`_1..=argCount`), then user bindings
 * and temporaries, as in rustc. Spans are LSP ranges (0-based lines, UTF-16 columns).
 */
import type { Span, LocalId, Lit, BinOp, FormatPiece } from '../hir/hir';
import type { Ty } from '../hir/ty';
import type { CallBorrows } from '../hir/lifetimes';
import type { StdFnId } from '../std/registry';
import type { Promotion } from './promote';

export type BlockId = number;

export interface Body {
  /** The body's path: the fn's `qualName` (`main`, `a::Point::new`) or the closure's (`main::{closure#0}`). */
  name: string;
  /** For closure bodies: the closure's id (Ty `closure.id`, the `closure` aggregate's `closureId`). */
  closureId?: number;
  /**
   * For closure bodies: `upvars`, how many of the first arguments are its captures (`_1..=upvars`,
   * typed as the closure stores them: `T` moved in, `&T` / `&mut T` borrowed); `head`, the
   * closure's `|..|` (or `move |..|`); `kind`, the closure trait the closure must implement when
   * the parameter it is passed to says so (`F: FnMut()`, `impl Fn()`): moving a capture out of an
   * `Fn`/`FnMut` closure, or mutating one in an `Fn` closure, is an error.
   */
  closure?: {
    upvars: number;
    head: Span;
    kind?: 'Fn' | 'FnMut';
    /**
     * The parameters (locals) whose regions are the closure's own: written with an elided
     * reference and no expected signature (`let f = |el: &str| ..`), or expected by a
     * higher-ranked bound (`F: FnOnce(&i32)`). What they point to lives only as long as the call.
     */
    ownRegions?: number[];
  };
  /** HIR span of the whole fn item / closure. */
  span: Span;
  locals: MirLocal[];
  /** Number of arguments; arguments are locals `1..=argCount`. */
  argCount: number;
  blocks: BasicBlock[];
  /** Constructs the builder could not lower exactly; the body may be incomplete around them. */
  unsupported: { span: Span; what: string }[];
  /** Loops: the keyword (`loop`/`while`/`for`) and the whole loop, for "inside of this loop". */
  loops?: { head: Span; body: Span }[];
  /**
   * User type annotations of `let` statements (rustc's `AscribeUserType`): the local the
   * initializer's value lands in (the binding, or the temporary a pattern destructures) and the
   * annotated type, whose regions the value must outlive (`let (y, _): (&'static u32, u32) = ..`).
   */
  ascriptions?: { local: number; ty: Ty; span: Span }[];
}

export interface MirLocal {
  /** User variable name, or undefined for temporaries. */
  name?: string;
  ty: Ty;
  mutable: boolean;
  /** Declaration span (the binding identifier) or the expression that made the temporary. */
  span: Span;
  kind: 'return' | 'arg' | 'user' | 'temp';
  /** The HIR local this was lowered from (user bindings and arguments). */
  hirLocal?: LocalId;
  /**
   * A borrowed temporary that lives in static memory, not in the frame (`mir/promote.ts`):
   * a promoted constant (`&10`), or the copy of a `static` item that `&NAME` borrows (the
   * borrow points to the item itself).
   */
  promoted?: Promotion;
  /**
   * The result of an overloaded place operator of the file (`mir/placeOps.ts`): this temporary is
   * the `&Target` that `Deref::deref` / `Index::index` returned for a base of type `base`; rustc
   * names a place through it "dereference of `base`" / "index of `base`".
   */
  placeOp?: {
    kind: 'deref' | 'index';
    base: Ty;
    /** The file has `DerefMut` / `IndexMut` for `base`: a write through this shared result is a use the builder took for a read. */
    hasMut?: true;
  };
}

export interface BasicBlock {
  statements: Statement[];
  terminator: Terminator;
  /** True for blocks only reached by unwinding (unused for now: panics end the trace). */
  cleanup?: boolean;
}

// --- places

export type ProjectionElem =
  | { kind: 'deref' }
  /** Field by index in declaration order; `name` for display (`0` for tuple fields). */
  | { kind: 'field'; index: number; name: string; ty: Ty }
  /** `v[i]`: the index is a local (or unknown, when null); move paths treat all indices as one. */
  | { kind: 'index'; local: LocalId | null }
  /**
   * `v[3]` with a constant index, and the elements of slice patterns: `offset` from the start, or
   * from the end when `fromEnd` (`[.., x]` is offset 1 from the end), in a slice of at least
   * `minLength` elements (rustc `ProjectionElem::ConstantIndex`). `expr`: written as an index
   * expression (`v[3]`), which rustc lowers to `Index` of a temporary, so that borrow conflicts
   * treat it as any index (`placesConflict`), while the value it names stays the constant element.
   */
  | { kind: 'constantIndex'; offset: number; fromEnd?: boolean; minLength?: number; expr?: true }
  /**
   * `rest @ ..` in a slice pattern: elements `from` up to `to` (exclusive), or up to `len - to`
   * when `fromEnd` (rustc `ProjectionElem::Subslice`; arrays of known length count from the start).
   */
  | { kind: 'subslice'; from: number; to: number; fromEnd: boolean }
  /** View of an enum as one of its variants (after a match on the discriminant). */
  | { kind: 'downcast'; variant: string; index: number };

/** A memory location: a local and a path of projections (rustc `Place`). */
export interface Place {
  local: LocalId;
  projection: ProjectionElem[];
}

// --- operands and rvalues

export type Constant =
  | { kind: 'lit'; lit: Lit }
  | { kind: 'unit' }
  /** A function item, for `Call` terminators. */
  | { kind: 'fn'; name: string }
  /** The value of a `static` item (its bytes live in static memory; see `FileHir.statics`). */
  | { kind: 'static'; name: string }
  /** A value the engine cannot compute. */
  | { kind: 'unknown'; text: string };

/**
 * Why a move happened, for rustc's secondary labels ("`x` moved due to this method call",
 * "value moved into closure here", "`v` moved due to this implicit call to `.into_iter()`").
 */
export type MoveNote =
  | { kind: 'method'; method: string; callSpan: Span; fnPath: string }
  | { kind: 'closure'; closureSpan: Span; useSpan: Span }
  | { kind: 'intoIter'; span: Span }
  /** Calling an `FnOnce` closure moves it; `captured` names the variable it moves out (empty for an `F: FnOnce` parameter). */
  | { kind: 'call'; span: Span; captured: string }
  /**
   * A by-value binding of a pattern moves out of the matched value (`scrutinee`: what is matched).
   * `guardedArm`: the arm has a guard; rustc binds by reference while the guard runs and moves
   * only once it holds, which this MIR does not model (the move is before the guard), so the
   * borrow checker says nothing about uses after such a move.
   */
  | { kind: 'pattern'; scrutinee: Span; binding?: string; guardedArm?: true };

/**
 * rustc `Operand`: Copy and Move read a place; Move also de-initialises it. `span` is the
 * source of the operand (the `x` in `foo(x)`), used for "value moved here" / "used here".
 */
export type Operand =
  | { kind: 'copy'; place: Place; span?: Span }
  | { kind: 'move'; place: Place; span?: Span; note?: MoveNote }
  /** `span`: where the source names it (a `static` item moved by value: E0507). */
  | { kind: 'constant'; value: Constant; ty: Ty; span?: Span };

/**
 * How a place is borrowed (rustc `BorrowKind`): `&`, `&mut`, a two-phase `&mut` (the auto-ref of
 * a method receiver: reserved, then activated at the call), and `unique`: a closure's capture of
 * a `&mut` reference it mutates through, which needs no `mut` binding but excludes every other
 * access (rustc's unique immutable borrow, `MutBorrowKind::ClosureCapture`); `fake`: a match's
 * shallow borrow of a place its patterns test, live through its guards so that a guard cannot
 * change which arm matches (rustc `BorrowKind::Fake(Shallow)`; only the borrow checker reads
 * it: it makes no pointer at run time).
 */
export type BorrowKind = 'shared' | 'mut' | 'twoPhaseMut' | 'unique' | 'fake';

export type AggregateKind =
  | { kind: 'tuple' }
  | { kind: 'array'; elem: Ty }
  | { kind: 'adt'; adt: string; variant?: string; fieldNames: string[] }
  | { kind: 'closure'; closureId: number };

export type Rvalue =
  | { kind: 'use'; operand: Operand }
  | { kind: 'ref'; borrow: BorrowKind; place: Place }
  | { kind: 'addressOf'; mutable: boolean; place: Place }
  | { kind: 'binary'; op: BinOp; lhs: Operand; rhs: Operand }
  | { kind: 'unary'; op: 'not' | 'neg'; operand: Operand }
  | { kind: 'aggregate'; agg: AggregateKind; operands: Operand[] }
  | { kind: 'repeat'; operand: Operand; count: number | null }
  | { kind: 'cast'; operand: Operand; ty: Ty }
  | { kind: 'len'; place: Place }
  | { kind: 'discriminant'; place: Place }
  /**
   * A value the engine does not model; operands are still read (moved/copied).
   * `writtenByMacro`: a local named inside an unknown macro (`parenthesized!(content in input)`),
   * which may initialise it: borrowck treats the write as an initialisation and never reports it.
   */
  | { kind: 'opaque'; text: string; operands: Operand[]; writtenByMacro?: boolean };

// --- statements and terminators

export type Statement = { span: Span } & (
  | { kind: 'assign'; place: Place; rvalue: Rvalue }
  | { kind: 'storageLive'; local: LocalId }
  | { kind: 'storageDead'; local: LocalId }
  /** Set an enum's variant after writing its fields. */
  | { kind: 'setDiscriminant'; place: Place; variant: string }
  /**
   * A read that must see an initialised value: rustc FakeRead. `use`: reported as a use, not a
   * borrow, of a moved value (rustc `FakeRead(ForIndex, a)`: the bounds check of `a[i]` on an
   * array reads `a`, `mir/build.ts`).
   */
  | { kind: 'fakeRead'; place: Place; use?: true }
  /**
   * `let _ = place;` and a match's scrutinee (rustc `PlaceMention`): the place is named but not
   * read. The borrow checker checks nothing there (no access, no initialisation: `let _ = s;`
   * after a move of `s` compiles; a match's tests read what they test, so a match on a partly
   * moved value may test the rest); liveness counts it as a use of the place's local.
   */
  | { kind: 'placeMention'; place: Place }
  | { kind: 'nop' }
);

/**
 * What a call calls. `std`: a std method, function or builtin: `id` is its registry id
 * (`Vec::push`, `slice::iter`, `println!`; `std/registry.ts`), absent when the std registry
 * does not have it; `path` is how messages print it (`String::from`, `Vec::push`, `clone`,
 * `drop`, `+=`); `selfTy` the receiver's type. `local` is a closure or fn pointer in a local.
 */
export type Callee =
  | { kind: 'fn'; name: string }
  | { kind: 'std'; path: string; id?: StdFnId; selfTy?: Ty }
  /**
   * A closure or fn value in a local. `callKind`: how calling it uses it, from its type — `Fn`
   * borrows it, `FnMut` borrows it mutably, `FnOnce` moves it; absent for fn pointers (a copy).
   */
  | { kind: 'local'; local: LocalId; callKind?: 'Fn' | 'FnMut' | 'FnOnce' }
  /** A method the type checker could not resolve (resolved at run time); `turbofish`: `::<T>` as written. */
  | { kind: 'unknown'; text: string; turbofish?: Ty[] };

export type Terminator = { span: Span } & (
  | { kind: 'goto'; target: BlockId }
  /**
   * Branch on an integer/bool/discriminant: `values[i]` goes to `targets[i]`, else `otherwise`.
   * `source` tags the branch of an `if` (false = `targets[0]`) or the exit test of a `for`
   * loop (exit = `targets[0]`), for E0381's "if this condition is false" labels.
   */
  | {
      kind: 'switchInt';
      discr: Operand;
      values: bigint[];
      targets: BlockId[];
      otherwise: BlockId;
      source?: { kind: 'if' | 'for'; span: Span; body: Span };
    }
  | { kind: 'return' }
  | { kind: 'unreachable' }
  /** Drop the place if initialised (drop elaboration happens in the consumer). */
  /** `replace`: the drop of the old value before an assignment (`x = v` when `x` needs dropping: rustc's `Drop { replace: true }`). */
  | { kind: 'drop'; place: Place; target: BlockId; replace?: boolean }
  /**
   * `dest = func(args)`, then go to `target` (null when the call diverges, e.g. `panic!`).
   * `fnSpan` is the callee's span (`foo` / method name) for diagnostics.
   */
  | {
      kind: 'call';
      func: Callee;
      args: Operand[];
      dest: Place;
      target: BlockId | null;
      fnSpan: Span;
      /** For macro expansions: the macro name (`println`) and, for formatting macros, its pieces. */
      macro?: string;
      format?: FormatPiece[];
      /** Which arguments the result borrows from, from the callee's signature (absent: unknown, none). */
      borrows?: CallBorrows;
      /** Not a call in the source: a `for` loop's `into_iter` / `next` (rustc: `from_hir_call: false`). */
      desugared?: true;
    }
  /** `assert!`-like conditional panic. */
  | { kind: 'assert'; cond: Operand; expected: boolean; target: BlockId; message: string }
  /**
   * Goes to `realTarget`. A loop's back edge names the loop's exit as `imaginaryTarget` (not a
   * successor). `alternative`: rustc's `FalseEdge` between match candidates, whose imaginary
   * target the analyses must take as a successor: after an or-pattern's alternative (the next
   * alternative: every alternative's bindings count), after a guarded arm's tests (the next arm,
   * as if the guard had not run). The simulation takes the real edge.
   */
  | { kind: 'falseEdge'; realTarget: BlockId; imaginaryTarget: BlockId; alternative?: true }
);

// --- helpers

export const placeOf = (local: LocalId, projection: ProjectionElem[] = []): Place => ({ local, projection });

/** rustc-style debug text of a place: `_3`, `(*_2).0`, `_1[_4]`. Uses names when given. */
export function placeText(p: Place, names?: (l: LocalId) => string | undefined): string {
  let s = names?.(p.local) ?? `_${p.local}`;
  for (const e of p.projection) {
    switch (e.kind) {
      case 'deref':
        s = `*${s}`;
        break;
      case 'field':
        s = `${s.startsWith('*') ? `(${s})` : s}.${e.name}`;
        break;
      case 'index':
        s = `${s}[${e.local === null ? '_' : (names?.(e.local) ?? `_${e.local}`)}]`;
        break;
      case 'constantIndex':
        s = `${s}[${e.fromEnd ? '-' : ''}${e.offset}]`;
        break;
      case 'subslice':
        s = `${s}[${e.from}:-${e.to}]`;
        break;
      case 'downcast':
        s = `(${s} as ${e.variant})`;
        break;
    }
  }
  return s;
}
