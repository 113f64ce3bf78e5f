/**
 * The engine's public face: text (or a tree-sitter tree) in, analyses out. No LSP in here:
 * the language server (`server.ts`, `features/`) and the CLI (`cli/`) are both thin users of it.
 *
 *   text ──tree-sitter──▶ CST ──lower──▶ HIR ──infer──▶ typed HIR ──build──▶ MIR
 *        ──▶ borrowck (diagnostics) / interp (trace: snapshots, hover states) / layout (sizes)
 *
 * Positions are LSP's (0-based line, UTF-16 column). Every entry point is total: it never
 * throws for any input; a failure inside one function costs only that function's results and
 * is reported in `Analysis.failures`.
 */
import type Parser from 'tree-sitter';
import type { Position, Range, Snapshot } from './protocol';

// --- diagnostics

/** A borrow-check error in rustc's words (codes, messages and secondary spans follow rustc). */
export interface EngineDiagnostic {
  range: Range;
  severity: 'error' | 'warning';
  /** rustc error code, `E0382`. */
  code: string;
  /** rustc's primary message: "borrow of moved value: `x`". */
  message: string;
  /** rustc's secondary labels: "value moved here", "move occurs because ...". */
  related: { range: Range; message: string }[];
}

// --- hover

/** What a hover on a binding says; the markdown is what editors show. */
export interface HoverInfo {
  /** The identifier hovered (0-based, UTF-16). */
  range: Range;
  name: string;
  /** Type as Rust writes it, `?` when unknown. */
  type: string;
  /** Size and alignment of the binding's own bytes, null when unknown. */
  size: number | null;
  align: number | null;
  /** Where the binding's own bytes live. */
  location: 'stack' | 'static';
  /** The function whose frame holds it (absent for statics). */
  function?: string;
  /** Ownership state at the hovered point, in words: "owned", "moved to `y` at 3:13", ... */
  state: string;
  /** For pointers (references, Box, String, Vec, Rc, &str): where the pointee lives. */
  target?: 'heap' | 'static' | 'stack';
  /** Bytes of the pointee, when known (String/Vec: len × element size). */
  targetSize?: number | null;
  /** String/Vec length and capacity (elements; bytes for String) when the simulation knows them. */
  len?: number | null;
  capacity?: number | null;
  /** What the engine does not know about this binding, in words. */
  unknowns: string[];
  /** Plain markdown for the editor. */
  markdown: string;
}

// --- analysis

export interface AnalyzeOptions {
  /** A tree for exactly this text (from the document store); parsed here when absent. */
  tree?: Parser.Tree;
  /** Upper bound on interpreter steps for the whole trace. Default 100 000. */
  stepBudget?: number;
}

/** The result of analysing one file. Immutable; cheap queries (hover, snapshot) read it. */
export interface Analysis {
  text: string;
  diagnostics: EngineDiagnostic[];
  /** Functions whose analysis failed, with why (the rest of the file is still analysed). */
  failures: { function: string; message: string }[];
  /** Milliseconds spent in each stage, for the benchmark. */
  timings: { parse: number; lower: number; mir: number; borrowck: number; interp: number };
  /** Internal results used by hover and snapshot; opaque to callers. */
  readonly internal: unknown;
}

/** Files larger than this (UTF-16 code units) are not analysed; the message says so. */
export const MAX_TEXT_LENGTH = 8 * 1024 * 1024;

export { analyze, hoverAt, snapshotAt } from './analysis';

/** rustc error codes the engine reports today (fixtures with other codes are not compared). */
export { BORROWCK_CODES as IMPLEMENTED_CODES } from './borrowck/borrowck';
