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
}

/** `EngineDiagnostic.code` of a syntax error (rustc gives them no code; LSP and CLI show none). */
export const SYNTAX_CODE = 'syntax';

/** Whether an engine diagnostic is a syntax error (see `server/src/syntax/errors.ts`). */
export function isSyntaxError(d: EngineDiagnostic): boolean {
  return d.code === SYNTAX_CODE;
}
