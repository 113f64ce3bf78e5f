/**
 * Source text for the CLI: LSP positions (0-based, UTF-16) ⇄ rustc's (1-based line, 1-based
 * column counted in chars, i.e. Unicode scalar values).
 */
import type { Position } from '../../../shared/protocol';
import { lineOffsets } from '../base/text';

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
