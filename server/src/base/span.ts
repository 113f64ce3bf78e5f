/**
 * Position and span arithmetic shared by every stage. Positions are LSP's: 0-based line,
 * 0-based UTF-16 column; spans are half-open `[start, end)` unless a function says otherwise.
 */
import type { Position, Range } from 'vscode-languageserver-protocol';
/** A source range (LSP: 0-based lines, UTF-16 columns; half-open). */
export type Span = Range;

/** Negative when `a` is before `b`, 0 when equal, positive after. */
export function comparePos(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/** Whether `p` is inside `s`: `start <= p < end`, or `<= end` when `inclusiveEnd` (a cursor just after the last character). */
export function spanContains(s: Span, p: Position, inclusiveEnd = false): boolean {
  const e = comparePos(p, s.end);
  return comparePos(s.start, p) <= 0 && (inclusiveEnd ? e <= 0 : e < 0);
}

/** Whether two spans share a position (or one starts inside the other). */
export function spansOverlap(a: Span, b: Span): boolean {
  return spanContains(a, b.start) || spanContains(b, a.start);
}

export function spanEquals(a: Span, b: Span): boolean {
  return comparePos(a.start, b.start) === 0 && comparePos(a.end, b.end) === 0;
}
