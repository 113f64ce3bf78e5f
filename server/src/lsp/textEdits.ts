/**
 * LSP content changes applied to a text (LSP 3.17 `TextDocumentContentChangeEvent`), replayed on
 * a tree-sitter tree (`tree.edit`) when one is given. Used by the document store in the analysis
 * worker and by the server's main thread (which keeps the texts to restart a worker).
 *
 * Units: LSP positions are 0-based lines and UTF-16 code-unit columns; lines end at `\n`, `\r\n`
 * or `\r`. tree-sitter's points for JS strings are UTF-16 columns too, but rows end only at `\n`.
 */
import type Parser from 'tree-sitter';
import type { Range } from 'vscode-languageserver-protocol';
import { lineOffsets, offsetAt, pointAt, type ChangedRange, type Point } from '../base/text';

/**
 * One content change, as `TextDocumentContentChangeEvent` from LSP: either `{ range, text }`
 * (replace the range, 0-based UTF-16) or `{ text }` (replace the whole document).
 */
export type ContentChange = { range: Range; rangeLength?: number; text: string } | { text: string };

/** The point reached from `start` after inserting `inserted` (rows count `\n` only). */
function advance(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
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
