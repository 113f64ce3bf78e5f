/**
 * The document store: for each open document, its text, its tree-sitter tree and (lazily) the
 * engine's analysis of the current version.
 *
 * LSP content changes are applied in order, as the protocol requires: for each change the edit
 * is computed against the text as left by the previous change, replayed on the old tree with
 * `tree.edit`, and the text is updated; the tree is then reparsed once with `parseRust(text,
 * oldTree)` so tree-sitter reuses the unchanged subtrees. A change without a range replaces the
 * whole text (and the tree is parsed from scratch).
 *
 * Units: LSP positions are 0-based lines and UTF-16 code-unit columns; lines end at `\n`, `\r\n`
 * or `\r` (LSP 3.17 §Text Documents). tree-sitter's node binding, for JS strings, takes indices
 * and columns in UTF-16 code units too, but its rows end only at `\n`; `pointAt` follows that.
 *
 * Nothing in here knows about LSP connections: the server's features and the tests use it.
 */
import type Parser from 'tree-sitter';
import type { Position, Range } from 'vscode-languageserver-protocol';
import { analyze, type Analysis } from '../engine';
import { parseRust } from './parser';

// --- positions

/**
 * One content change, as `TextDocumentContentChangeEvent` from LSP: either `{ range, text }`
 * (replace the range, 0-based UTF-16) or `{ text }` (replace the whole document).
 */
export type ContentChange = { range: Range; rangeLength?: number; text: string } | { text: string };

/** A tree-sitter point: 0-based row (rows end at `\n`) and UTF-16 column. */
export interface Point {
  row: number;
  column: number;
}

/**
 * Start offsets (UTF-16) of each LSP line of `text`: lines end at `\n`, `\r\n` or `\r`.
 * `result[0]` is 0; there is always at least one line.
 */
export function lineOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 /* \r */) {
      if (i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
      offsets.push(i + 1);
    } else if (ch === 10 /* \n */) {
      offsets.push(i + 1);
    }
  }
  return offsets;
}

/**
 * The UTF-16 offset of an LSP position in `text`. Out-of-range positions are clamped as LSP
 * clients expect (a character past the line end means the line end, before its line break; a
 * line past the end means the end of the text).
 */
export function offsetAt(text: string, pos: Position, offsets = lineOffsets(text)): number {
  if (pos.line < 0) return 0;
  if (pos.line >= offsets.length) return text.length;
  const lineStart = offsets[pos.line];
  let lineEnd = pos.line + 1 < offsets.length ? offsets[pos.line + 1] : text.length;
  // Exclude the line break itself.
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 10) lineEnd--;
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  return Math.min(lineStart + Math.max(0, pos.character), lineEnd);
}

/** The LSP position (0-based line, UTF-16 character) of a UTF-16 offset in `text`. */
export function positionAt(text: string, offset: number, offsets = lineOffsets(text)): Position {
  offset = Math.max(0, Math.min(offset, text.length));
  // Inside a CRLF: the position is the end of the line, before the `\r`.
  if (offset > 0 && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10) offset--;
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] > offset) hi = mid - 1;
    else lo = mid;
  }
  return { line: lo, character: offset - offsets[lo] };
}

/** tree-sitter's point for a UTF-16 offset: rows count `\n` only, columns are UTF-16 units. */
export function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

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
 * given). Returns the new text. Pure apart from editing `tree`.
 */
export function applyChange(text: string, change: { range: Range; text: string }, tree?: Parser.Tree): string {
  const offsets = lineOffsets(text);
  let start = offsetAt(text, change.range.start, offsets);
  let end = offsetAt(text, change.range.end, offsets);
  if (end < start) [start, end] = [end, start];
  const newText = text.slice(0, start) + change.text + text.slice(end);
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

// --- store

/** One open document. `analysis` is the engine's result for exactly this version, once asked. */
export interface Document {
  readonly uri: string;
  readonly languageId: string;
  version: number;
  text: string;
  tree: Parser.Tree;
  /** Cached analysis of `text`; dropped whenever the text changes. */
  analysis?: Analysis;
}

/** Why a document is not analysed, or undefined when it can be. */
export function unanalysableReason(text: string, maxLength: number): string | undefined {
  if (text.length > maxLength) {
    return `the file is too large to analyse (${text.length} UTF-16 code units; the limit is ${maxLength})`;
  }
  if (looksBinary(text)) return 'the file looks binary (NUL bytes or many control characters); it is not analysed';
  return undefined;
}

/**
 * Whether `text` looks like binary data rather than source: it holds a NUL, or more than 10% of
 * its first 64 KiB are C0 control characters other than tab, line feed, carriage return and
 * form feed.
 */
export function looksBinary(text: string): boolean {
  if (text.indexOf('\0') !== -1) return true;
  const n = Math.min(text.length, 65536);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 127) control++;
  }
  return control / n > 0.1;
}

/**
 * Text, tree and analysis per URI. Not thread-aware (Node is single-threaded); every method is
 * synchronous and total.
 */
export class DocumentStore {
  private readonly docs = new Map<string, Document>();
  private readonly contentListeners: ((doc: Document) => void)[] = [];
  private readonly closeListeners: ((uri: string) => void)[] = [];

  /** Called after a document is opened or changed (its text and tree are current). */
  onDidChangeContent(listener: (doc: Document) => void): void {
    this.contentListeners.push(listener);
  }

  /** Called after a document is closed. */
  onDidClose(listener: (uri: string) => void): void {
    this.closeListeners.push(listener);
  }

  /** Opens (or re-opens) a document, parsing it from scratch. */
  open(uri: string, languageId: string, version: number, text: string): Document {
    const doc: Document = { uri, languageId, version, text, tree: parseRust(text) };
    this.docs.set(uri, doc);
    for (const l of this.contentListeners) l(doc);
    return doc;
  }

  /**
   * Applies LSP content changes in order and reparses once. Returns the document, or undefined
   * when `uri` is not open (the changes are then ignored, as the LSP spec allows no other choice).
   */
  change(uri: string, version: number, changes: readonly ContentChange[]): Document | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    let text = doc.text;
    let tree: Parser.Tree | undefined = doc.tree;
    for (const change of changes) {
      if ('range' in change && change.range) {
        text = applyChange(text, change, tree);
      } else {
        text = change.text;
        tree = undefined; // full replacement: nothing to reuse
      }
    }
    doc.text = text;
    doc.tree = parseRust(text, tree);
    doc.version = version;
    doc.analysis = undefined;
    for (const l of this.contentListeners) l(doc);
    return doc;
  }

  close(uri: string): void {
    if (!this.docs.delete(uri)) return;
    for (const l of this.closeListeners) l(uri);
  }

  get(uri: string): Document | undefined {
    return this.docs.get(uri);
  }

  all(): Document[] {
    return [...this.docs.values()];
  }

  /**
   * The analysis of the document's current version, computed once per version. Undefined when
   * the document is not open. Callers check `unanalysableReason` first for huge/binary text.
   */
  analysisOf(uri: string): Analysis | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    if (!doc.analysis) doc.analysis = analyze(doc.text, { tree: doc.tree });
    return doc.analysis;
  }
}
