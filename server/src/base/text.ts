/**
 * Text positions shared by every stage: LSP positions (0-based line, UTF-16 column; lines end at
 * `\n`, `\r\n` or a lone `\r`, LSP 3.17 §Text Documents) ⇄ UTF-16 offsets ⇄ tree-sitter points
 * (rows end only at `\n`), and the checks that decide whether a text is analysed at all.
 */
import type { Position } from 'vscode-languageserver-protocol';

// --- positions

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
  if (text.indexOf('\r') === -1) {
    // Only `\n` line breaks (the usual case): indexOf is much faster than a loop over characters.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) offsets.push(i + 1);
    return offsets;
  }
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
  const line = lineIndexOf(offsets, offset);
  return { line, character: offset - offsets[line] };
}

/** The index of the last of the ascending `starts` that is `<= offset` (0 when none is): a binary search. */
export function lineIndexOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] > offset) hi = mid - 1;
    else lo = mid;
  }
  return lo;
}

/**
 * tree-sitter's point for a UTF-16 offset: columns are UTF-16 units; rows count `\n` and a lone
 * `\r` (`parseRust` gives tree-sitter lone `\r`s as `\n`s, so its rows are LSP's lines).
 */
export function pointAt(text: string, offset: number): Point {
  if (text.indexOf('\r') !== -1) {
    const offsets = lineOffsets(text);
    const row = lineIndexOf(offsets, Math.max(0, Math.min(offset, text.length)));
    return { row, column: offset - offsets[row] };
  }
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** A range of a text that changed in an edit (UTF-16 code-unit offsets in the new text). */
export interface ChangedRange {
  startIndex: number;
  endIndex: number;
}

// --- analysable text

/** Why a document is not analysed, or undefined when it can be. */
export function unanalysableReason(text: string, maxLength: number): string | undefined {
  if (text.length > maxLength) {
    return `the file is too large to analyse (${text.length} UTF-16 code units; the limit is ${maxLength})`;
  }
  if (looksBinary(text)) return 'the file looks binary (NUL bytes or many control characters); it is not analysed';
  const depth = bracketDepth(text);
  if (depth > MAX_BRACKET_DEPTH) return `the file nests brackets ${depth} deep (the limit is ${MAX_BRACKET_DEPTH}); it is not analysed`;
  const deep = deepBrackets(text);
  if (deep > MAX_DEEP_BRACKETS)
    return `the file opens ${deep} brackets more than ${DEEP_BRACKET_LEVEL} levels deep (the limit is ${MAX_DEEP_BRACKETS}); it is not analysed`;
  return undefined;
}

/**
 * Brackets opened deeper than `DEEP_BRACKET_LEVEL` past which a file is checked (parse,
 * diagnostics, hovers) but not simulated: a tenth of `MAX_DEEP_BRACKETS`. Values that deep cost
 * the simulation the square of their depth in copies (330 nested `Some(`: 330 ms of a 370 ms
 * probe, the analysis 40 ms), so it stops first, well before the refusal.
 */
export const SIMULATION_DEEP_BRACKETS = 200;

/**
 * Why a text that is analysed is not simulated (see `SIMULATION_DEEP_BRACKETS`), in words for
 * the run's stop, or undefined when it is simulated. A linear scan.
 */
export function simulationOffReason(text: string): string | undefined {
  const deep = deepBrackets(text);
  if (deep <= SIMULATION_DEEP_BRACKETS) return undefined;
  return `not simulated: the file opens ${deep} brackets more than ${DEEP_BRACKET_LEVEL} levels deep (the simulation stops past ${SIMULATION_DEEP_BRACKETS}; the borrow check still runs)`;
}

/** Nesting past which a bracket counts as deep: real code stays far below it. */
export const DEEP_BRACKET_LEVEL = 128;

/**
 * Most brackets opened deeper than `DEEP_BRACKET_LEVEL` that a file may have. Past it the work
 * grows with the square of the nesting: tree-sitter's error recovery (40 lines of 5,000 nested
 * `mod m {` inside an expression: over 10 s) and the simulation of values that deep (3,000
 * nested `Some(`: 3 s per snapshot).
 */
export const MAX_DEEP_BRACKETS = 2_000;

/** How many `(`, `[`, `{` in `text` open deeper than `DEEP_BRACKET_LEVEL` (the same scan as `bracketDepth`: an upper bound). */
export function deepBrackets(text: string): number {
  let depth = 0;
  let deep = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > DEEP_BRACKET_LEVEL) deep++;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return deep;
}

/** Deepest bracket nesting analysed: deeper, the parser's memory grows past a gigabyte (10 MB of `{`: 3 GB). */
export const MAX_BRACKET_DEPTH = 50_000;

/** The deepest nesting of `(`, `[` and `{` in `text` (a linear scan that ignores strings and comments: an upper bound). */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
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
