/**
 * The document store: for each open document, its text, its tree-sitter tree and (lazily) the
 * engine's analysis of the current version.
 *
 * LSP content changes are applied in order, as the protocol requires: for each change the edit
 * is computed against the text as left by the previous change, replayed on the old tree with
 * `tree.edit`, and the text is updated; the tree is then reparsed once, when it is next read,
 * with `parseRust(text, oldTree)` so tree-sitter reuses the unchanged subtrees (a burst of
 * changes costs one parse). A change without a range replaces the whole text (and the tree is
 * parsed from scratch).
 *
 * Units: LSP positions are 0-based lines and UTF-16 code-unit columns; lines end at `\n`, `\r\n`
 * or `\r` (LSP 3.17 §Text Documents). tree-sitter's node binding, for JS strings, takes indices
 * and columns in UTF-16 code units too; `parseRust` gives it lone `\r`s as `\n`s, so its rows are
 * LSP's lines (`pointAt` follows that).
 *
 * Nothing in here knows about LSP connections: the analysis worker (`worker/`) and the tests use it.
 */
import type Parser from 'tree-sitter';
import { DocumentAnalyzer, type Analysis } from '../engine/engine';
import type { ChangedRange } from '../base/text';
import { applyChange, type ContentChange } from './textEdits';
import { parseRust } from '../syntax/parser';

export { applyChange, type ContentChange } from './textEdits';

// --- store

/** One open document. `analysis` is the engine's result for exactly this version, once asked. */
export interface Document {
  readonly uri: string;
  readonly languageId: string;
  version: number;
  text: string;
  /** The tree of `text`: reparsed on first access after changes (a burst of changes parses once). */
  readonly tree: Parser.Tree;
  /** Cached analysis of `text`; dropped whenever the text changes. */
  analysis?: Analysis;
  /** The document's analyses over its versions (reuses the unchanged items). */
  readonly analyzer: DocumentAnalyzer;
  /**
   * Where the text changed since the last analysis was started (UTF-16 offsets in `text`): the
   * edited ranges and tree-sitter's changed ranges; undefined when unknown (everything changed).
   */
  changed?: ChangedRange[];
}

/** A `Document` whose tree is brought up to date lazily (see `Document.tree`). */
class OpenDocument implements Document {
  analysis?: Analysis;
  changed?: ChangedRange[];
  readonly analyzer = new DocumentAnalyzer();
  /** The last tree parsed (none before the first read), with the edits since replayed on it (`tree.edit`) when `stale`. */
  private parsed: Parser.Tree | undefined;
  /** Changes since `parsed` was parsed; `reuse`: they were ranged, so `parsed` can be reused. */
  private stale = true;
  private reuse = false;

  /** Nothing is parsed here: the first read of `tree` parses, after the caller's size check (`unanalysableReason`). */
  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    public text: string,
  ) {}

  get tree(): Parser.Tree {
    if (this.stale || !this.parsed) {
      const old = this.parsed;
      this.parsed = parseRust(this.text, this.reuse ? old : undefined);
      // Token text can change without a change of structure: the edited ranges count too.
      if (this.reuse && this.changed && old)
        for (const r of old.getChangedRanges(this.parsed)) this.changed.push({ startIndex: r.startIndex, endIndex: r.endIndex });
      this.stale = false;
      this.reuse = true;
    }
    return this.parsed;
  }

  /** Applies LSP content changes in order (the tree is edited now, reparsed on next access). */
  apply(changes: readonly ContentChange[]): void {
    for (const change of changes) {
      if ('range' in change && change.range) {
        this.text = applyChange(this.text, change, this.reuse && this.parsed ? this.parsed : undefined, this.changed);
      } else {
        this.text = change.text;
        this.reuse = false; // full replacement: nothing to reuse
        this.changed = undefined;
      }
    }
    this.stale = true;
  }
}

/**
 * Text, tree and analysis per URI. Not thread-aware (Node is single-threaded); every method is
 * synchronous and total.
 */
export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly contentListeners: ((doc: Document) => void)[] = [];
  private readonly closeListeners: ((uri: string) => void)[] = [];

  /** Called after a document is opened or changed (its text is current; its tree when read). */
  onDidChangeContent(listener: (doc: Document) => void): void {
    this.contentListeners.push(listener);
  }

  /** Called after a document is closed. */
  onDidClose(listener: (uri: string) => void): void {
    this.closeListeners.push(listener);
  }

  /** Opens (or re-opens) a document; it is parsed from scratch when its tree is first read. */
  open(uri: string, languageId: string, version: number, text: string): Document {
    const doc = new OpenDocument(uri, languageId, version, text);
    this.docs.set(uri, doc);
    for (const l of this.contentListeners) l(doc);
    return doc;
  }

  /**
   * Applies LSP content changes in order (the tree is reparsed once, when next needed). Returns
   * the document, or undefined when `uri` is not open (the changes are then ignored, as the LSP
   * spec allows no other choice).
   */
  change(uri: string, version: number, changes: readonly ContentChange[]): Document | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    doc.apply(changes);
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
    if (!doc.analysis) {
      doc.analysis = doc.analyzer.analyze(doc.text, { tree: doc.tree, changed: doc.changed });
      doc.changed = [];
    }
    return doc.analysis;
  }
}
