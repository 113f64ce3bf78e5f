/**
 * The one place that owns tree-sitter's parser for Rust. Everything else receives trees.
 */
import Parser from 'tree-sitter';
import Rust from 'tree-sitter-rust';

let parser: Parser | undefined;

/** The shared Rust parser (created on first use). */
export function rustParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Rust as unknown as Parser.Language);
  }
  return parser;
}

/**
 * Parses `text`, reusing `oldTree` when given (it must already have had the text's edits applied
 * with `tree.edit`). tree-sitter's positions for JS strings are 0-based rows and UTF-16 columns.
 * A lone `\r` is a line break for LSP (3.17 §Text Documents) but not for tree-sitter: it is
 * given to tree-sitter as `\n` (same length, so offsets do not change) and rows are LSP lines.
 * Never throws on any text: syntax errors become ERROR/MISSING nodes.
 */
export function parseRust(text: string, oldTree?: Parser.Tree): Parser.Tree {
  const input = text.indexOf('\r') === -1 ? text : text.replace(/\r(?!\n)/g, '\n');
  return rustParser().parse(input, oldTree);
}

/** One entry of tree-sitter-rust's `node-types.json`: a node type, its fields, named children and subtypes, if any. */
export interface NodeTypeInfo {
  type: string;
  named: boolean;
  fields?: Record<string, unknown>;
  children?: unknown;
  subtypes?: unknown[];
}

/** tree-sitter-rust's node types (its `node-types.json`). */
export function rustNodeTypes(): readonly NodeTypeInfo[] {
  return (Rust as unknown as { nodeTypeInfo?: NodeTypeInfo[] }).nodeTypeInfo ?? [];
}
