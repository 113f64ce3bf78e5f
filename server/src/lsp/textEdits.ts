/**
 * LSP content changes applied to a text (LSP 3.17 `TextDocumentContentChangeEvent`), replayed on
 * a tree-sitter tree (`tree.edit`) when one is given. Used by the document store in the analysis
 * worker and by the server's main thread (which keeps the texts to restart a worker).
 *
 * Units: LSP positions are 0-based lines and UTF-16 code-unit columns; lines end at `\n`, `\r\n`
 * or `\r`. tree-sitter's points for JS strings are UTF-16 columns too, and its rows are LSP lines
 * (`parseRust` gives it lone `\r`s as `\n`s).
 */
import type Parser from 'tree-sitter';
import type { Range } from 'vscode-languageserver-protocol';
import { lineOffsets, offsetAt, pointAt, type ChangedRange, type Point } from '../base/text';

/**
 * One content change, as `TextDocumentContentChangeEvent` from LSP: either `{ range, text }`
 * (replace the range, 0-based UTF-16) or `{ text }` (replace the whole document).
 */
export type ContentChange = { range: Range; rangeLength?: number; text: string } | { text: string };

/** The point reached from `start` after inserting `inserted` (rows end at `\n`, `\r\n` or a lone `\r`, as `parseRust`'s). */
function advance(start: Point, inserted: string): Point {
  const starts = lineOffsets(inserted);
  if (starts.length === 1) return { row: start.row, column: start.column + inserted.length };
  return { row: start.row + starts.length - 1, column: inserted.length - starts[starts.length - 1] };
}

const isPosition = (p: unknown): boolean => {
  const q = p as { line?: unknown; character?: unknown } | null;
  return (
    !!q &&
    typeof q === 'object' &&
    Number.isInteger(q.line) &&
    Number.isInteger(q.character) &&
    (q.line as number) >= 0 &&
    (q.character as number) >= 0
  );
};

/**
 * Why a content change from a client cannot be applied, or undefined when it can: its `text` must
 * be a string, and its `range`, when present, two positions of non-negative integers (positions
 * past the end are clamped, as LSP says; negative, fractional or missing ones are refused).
 */
export function invalidChange(change: unknown): string | undefined {
  const c = change as { text?: unknown; range?: { start?: unknown; end?: unknown } | null } | null;
  if (!c || typeof c !== 'object') return 'a content change is not an object';
  if (typeof c.text !== 'string') return 'a content change has no text (missing or null)';
  if ('range' in c && c.range !== undefined) {
    const r = c.range as { start: { line: number; character: number }; end: { line: number; character: number } } | null;
    if (!r || !isPosition(r.start) || !isPosition(r.end)) return 'a content change has an impossible range';
    if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character))
      return 'a content change has an impossible range (its start is after its end)';
  }
  return undefined;
}

/**
 * Applies one ranged change to `text`, replaying it on `tree` with `tree.edit` (when a tree is
 * given) and moving `changed` (ranges of the text, UTF-16 offsets) to the new text, with the
 * inserted text added. Returns the new text. Pure apart from editing `tree` and `changed`.
 */
export function applyChange(text: string, change: { range: Range; text: string }, tree?: Parser.Tree, changed?: ChangedRange[]): string {
  const offsets = lineOffsets(text);
  let start = offsetAt(text, change.range.start, offsets);
  let end = offsetAt(text, change.range.end, offsets);
  if (end < start) [start, end] = [end, start];
  const newText = text.slice(0, start) + change.text + text.slice(end);
  if (changed) {
    const d = change.text.length - (end - start);
    for (const c of changed) {
      if (c.startIndex >= end) c.startIndex += d;
      else if (c.startIndex > start) c.startIndex = start;
      if (c.endIndex >= end) c.endIndex += d;
      else if (c.endIndex > start) c.endIndex = start + change.text.length;
    }
    changed.push({ startIndex: start, endIndex: start + change.text.length });
  }
  if (tree) {
    const startPosition = pointAt(text, start);
    tree.edit({
      startIndex: start,
      oldEndIndex: end,
      newEndIndex: start + change.text.length,
      startPosition,
      oldEndPosition: pointAt(text, end),
      newEndPosition: advance(startPosition, change.text),
    });
  }
  return newText;
}
