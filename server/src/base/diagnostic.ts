/**
 * The engine's diagnostic: an error in rustc's words. A leaf type: every stage that reports
 * (syntax, borrowck) builds these, and the LSP and CLI layers convert them.
 */
import type { Span } from './span';

/** A diagnostic in rustc's words (codes, messages and secondary spans follow rustc). */
export interface EngineDiagnostic {
  /** Primary span (0-based lines, UTF-16 columns). */
  range: Span;
  severity: 'error' | 'warning';
  /** rustc error code, `E0382`; `SYNTAX_CODE` for parse errors, which have none. */
  code: string;
  /** rustc's primary message: "borrow of moved value: `x`". */
  message: string;
  /** rustc's secondary labels: "value moved here", "move occurs because ...". */
  related: { range: Span; message: string }[];
  /** What a quick fix needs to know (`FixHint`), when the checker can say. */
  fixes?: FixHint[];
}

/** `EngineDiagnostic.code` of a syntax error (rustc gives them no code; LSP and CLI show none). */
export const SYNTAX_CODE = 'syntax';

/** Whether an engine diagnostic is a syntax error (see `server/src/syntax/errors.ts`). */
export function isSyntaxError(d: EngineDiagnostic): boolean {
  return d.code === SYNTAX_CODE;
}

/**
 * What the borrow checker knows that a fix needs (rustc's structured suggestions, before they
 * become text): the move site, the binding's declaration, the loan. `ide/quickFixes.ts` turns
 * each into a text edit with the source and the syntax tree; an edit is offered only when it is
 * sure to apply. Spans: 0-based lines, UTF-16 columns.
 */
export type FixHint =
  /** E0382 / E0505: `path` (an owned place, `s` or `p.name`) is moved at `span`: clone it there (rustc: "consider cloning the value"). `call`: the move is argument `arg` (0-based) of a call of the file's fn `callee` (its MIR body name). */
  | { kind: 'cloneMove'; span: Span; path: string; call?: { callee: string; arg: number } }
  /** E0507 / E0508 / E0509: a value is moved out of a place that cannot be moved from, at `span` (a place expression: `p.name`, `v[0]`, `*r`): clone it instead (rustc: "consider cloning the value"); `throughSmartPointer`: `*p` derefs a Box/Rc/Arc, so the clone is `(*p).clone()`. */
  | { kind: 'cloneOut'; span: Span; throughSmartPointer?: boolean }
  /** E0382: the binding `name` was moved into the closure at `closure` (a use at `use`): clone it into a new binding before the closure and let the closure take the clone (rustc: "consider cloning the value before moving it into the closure"). */
  | { kind: 'cloneIntoClosure'; closure: Span; name: string }
  /** E0382: a `for` loop's implicit `into_iter()` moved the collection at `span`: iterate over `&` it (rustc: "consider iterating over a slice"). */
  | { kind: 'borrowIter'; span: Span }
  /** E0384 / E0596 / E0594: the binding declared at `decl` (its identifier) is not `mut` (rustc: "consider changing this to be mutable"). */
  | { kind: 'makeMut'; decl: Span; name: string }
  /** E0596 / E0594: the binding declared at `decl` is a `&` reference: make it `&mut` (rustc: "consider changing this to be a mutable reference"). */
  | { kind: 'mutRef'; decl: Span; name: string }
  /** E0381: the binding declared at `decl` is never initialised before its use: give it a value of type `ty` (Rust syntax) (rustc: "consider assigning a value"). */
  | { kind: 'initialise'; decl: Span; ty: string; default: string }
  /** E0502 / E0505 / E0506: a shared loan taken at `span` (`&place`), still used later, conflicts: borrow a clone instead (rustc: "consider cloning the value"). */
  | { kind: 'cloneBorrow'; span: Span; path: string }
  /** E0515: the fn `fn` (its MIR body name) returns, at `span`, a reference to data it owns: return an owned value instead. */
  | { kind: 'returnOwned'; fn: string; span: Span };
