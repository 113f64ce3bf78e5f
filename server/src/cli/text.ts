/**
 * Text helpers for the CLI: LSP positions (0-based, UTF-16) ⇄ rustc's (1-based line, 1-based
 * column counted in chars, i.e. Unicode scalar values), and display widths for tables.
 */
import type { Position } from '../protocol';
import { lineOffsets } from '../syntax/documents';

/** A text with its LSP line starts, for repeated position conversions. */
export class SourceText {
  readonly offsets: number[];
  constructor(readonly text: string) {
    this.offsets = lineOffsets(text);
  }

  get lineCount(): number {
    return this.offsets.length;
  }

  /** The text of 0-based LSP line `line`, without its line break ('' past the end). */
  line(line: number): string {
    if (line < 0 || line >= this.offsets.length) return '';
    const end = line + 1 < this.offsets.length ? this.offsets[line + 1] : this.text.length;
    return this.text.slice(this.offsets[line], end).replace(/\r?\n$|\r$/, '');
  }

  /** rustc's 1-based line and char column for an LSP position. */
  toRustc(pos: Position): { line: number; column: number } {
    const lineText = this.line(pos.line);
    return { line: pos.line + 1, column: charCount(lineText.slice(0, pos.character)) + 1 };
  }

  /**
   * The LSP position of rustc's 1-based `line` and char `column`, or undefined when the line does
   * not exist or the column is past the line's end + 1.
   */
  fromRustc(line: number, column: number): Position | undefined {
    if (line < 1 || line > this.offsets.length || column < 1) return undefined;
    const lineText = this.line(line - 1);
    let utf16 = 0;
    let chars = 0;
    for (const ch of lineText) {
      if (chars === column - 1) break;
      utf16 += ch.length;
      chars++;
    }
    if (chars < column - 1) return undefined;
    return { line: line - 1, character: utf16 };
  }
}

/** Number of chars (Unicode scalar values, as Rust's `str::chars`) in `s`. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Terminal display width of `s`: combining marks and zero-width characters take 0 columns, wide
 * East Asian characters and emoji take 2, everything else 1. An approximation of wcwidth.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (/\p{M}|\p{Cf}/u.test(ch) || c === 0x200b) continue;
    if (
      /\p{Extended_Pictographic}/u.test(ch) && c > 0xff ||
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd)
    ) {
      w += 2;
      continue;
    }
    w += 1;
  }
  return w;
}

/** `s` padded with spaces to display width `width`. */
export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}
