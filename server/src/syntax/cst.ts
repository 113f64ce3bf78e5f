/**
 * A plain-JS mirror of tree-sitter's tree, built with one `TreeCursor` pass, with the small part
 * of the `SyntaxNode` API that lowering uses (`CstNode`). tree-sitter's node API costs a native
 * call (and a node object tracked by the tree) per property read; lowering reads several
 * properties of every node, several times. The mirror reads each node once: its type id, start
 * and end index, and field id. Positions are computed in JS from indices (rows end at `\n`, lone `\r`,
 * columns are UTF-16 code units, as tree-sitter's points for JS strings).
 *
 * Reuse between versions: the subtree of an item (`ITEM_TYPES`, at any depth of modules, impls
 * and traits) stores its offsets relative to the item's start, so an item whose text did not
 * change is taken from the previous version's mirror (`MirrorCache`) without visiting its
 * nodes, wherever it moved. Small trees (macro arguments re-parsed as expressions) are mirrored
 * whole and cached by text (`parseMirror`).
 *
 * Bounded: the mirror has one object per tree node; nothing here throws on any tree.
 */
import type Parser from 'tree-sitter';
import { lineIndexOf, lineOffsets, type Point } from '../base/text';
import { parseRust, rustNodeTypes } from './parser';

/** The part of tree-sitter's `SyntaxNode` API that lowering uses; see the module comment. */
export interface CstNode {
  readonly type: string;
  /** The node's source text. */
  readonly text: string;
  /** UTF-16 offsets in the text. */
  readonly startIndex: number;
  readonly endIndex: number;
  /** tree-sitter points: 0-based row (rows end at `\n`, `\r\n` or a lone `\r`), UTF-16 column. */
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly children: readonly CstNode[];
  readonly namedChildren: readonly CstNode[];
  /** A named node of the grammar (not an anonymous token such as `,` or `_`). */
  readonly isNamed: boolean;
  /**
   * An ERROR node is in the subtree; for trees from `parseMirror`, a MISSING node too (the
   * whole file's mirror does not look for MISSING nodes: that would cost a native call per node).
   */
  readonly hasError: boolean;
  child(index: number): CstNode | null;
  childForFieldName(name: string): CstNode | null;
  childrenForFieldName(name: string): CstNode[];
}

/** The text of one version and where its rows start. */
class SourceDoc {
  private readonly rowStarts: number[];

  /**
   * Rows are LSP lines (a lone `\r` ends one too, as `parseRust` tells tree-sitter). `rowBase`:
   * added to every row (a crate's other files sit at their own rows: `engine/crate.ts`).
   */
  constructor(
    readonly text: string,
    private readonly rowBase = 0,
  ) {
    this.rowStarts = lineOffsets(text);
  }

  point(index: number): Point {
    // Inside a CRLF (a line comment or an error node ends after its `\r`): the end of the line,
    // before the `\r`, where LSP puts it (a position between `\r` and `\n` is past the line).
    if (index > 0 && this.text.charCodeAt(index - 1) === 13 && this.text.charCodeAt(index) === 10) index--;
    const row = lineIndexOf(this.rowStarts, index);
    return { row: row + this.rowBase, column: index - this.rowStarts[row] };
  }
}

/**
 * Where a subtree is: its offset in its parent's subtree (or in the text, at the root). An
 * item's subtree has its own base, re-attached when the item is reused in a new version.
 */
class Base {
  constructor(
    public offset: number,
    public parent: Base | undefined,
    public doc: SourceDoc | undefined,
  ) {}

  get start(): number {
    return this.parent ? this.parent.start + this.offset : this.offset;
  }

  get source(): SourceDoc {
    return this.parent ? this.parent.source : this.doc!;
  }
}

const NO_NODES: readonly MirrorNode[] = [];
const NO_FIELDS: readonly (string | undefined)[] = [];

/** One node of the mirror (see `CstNode`). */
class MirrorNode implements CstNode {
  private named_: readonly MirrorNode[] | undefined;
  /** For an item (`ITEM_TYPES`): the items inside it, at any depth (reused with it). */
  nested: readonly MirrorNode[] = NO_NODES;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    /** Offsets relative to `base`. */
    private readonly start: number,
    private readonly end: number,
    readonly base: Base,
    readonly children: readonly MirrorNode[],
    /** Field name of each child (undefined: none). */
    private readonly fields: readonly (string | undefined)[],
    readonly hasError: boolean,
  ) {}

  get startIndex(): number {
    return this.base.start + this.start;
  }

  /** Absolute start, given that `base` starts at `baseStart` (no walk up the bases). */
  startIndexIn(baseStart: number, base: Base): number {
    return this.base === base ? baseStart + this.start : this.base.start + this.start;
  }

  endIndexIn(baseStart: number, base: Base): number {
    return this.base === base ? baseStart + this.end : this.base.start + this.end;
  }

  get endIndex(): number {
    return this.base.start + this.end;
  }

  get text(): string {
    const s = this.base.start;
    return this.base.source.text.slice(s + this.start, s + this.end);
  }

  get startPosition(): Point {
    return this.base.source.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.base.source.point(this.endIndex);
  }

  get namedChildren(): readonly MirrorNode[] {
    if (!this.named_) this.named_ = this.children.length ? this.children.filter((c) => c.isNamed) : NO_NODES;
    return this.named_;
  }

  child(index: number): MirrorNode | null {
    return this.children[index] ?? null;
  }

  childForFieldName(name: string): MirrorNode | null {
    const i = this.fields.indexOf(name);
    return i >= 0 ? this.children[i] : null;
  }

  childrenForFieldName(name: string): MirrorNode[] {
    const out: MirrorNode[] = [];
    for (let i = 0; i < this.children.length; i++) if (this.fields[i] === name) out.push(this.children[i]);
    return out;
  }
}

/** Node types whose subtrees are reused between versions when their text is unchanged. */
const ITEM_TYPES: ReadonlySet<string> = new Set([
  'function_item',
  'function_signature_item',
  'impl_item',
  'trait_item',
  'mod_item',
  'struct_item',
  'enum_item',
  'union_item',
  'const_item',
  'static_item',
  'type_item',
  'use_declaration',
  'macro_definition',
  'macro_invocation',
  'attribute_item',
]);

/** Item subtrees of one version by their text, for the next version (see the module comment). */
export class MirrorCache {
  /** Subtrees of the last mirror, by text (identical items: several, each used once). */
  private items = new Map<string, MirrorNode[]>();
  /** How many item subtrees the last `mirror` reused and built, for tests and benchmarks. */
  reused = 0;
  built = 0;

  /**
   * The mirror of `tree` (for exactly `text`), reusing the previous version's item subtrees
   * whose text is unchanged. Keeps only this version's items for the next call. `rowBase` is
   * added to every row (0 for a document alone; see `SourceDoc`); one cache, one `rowBase`.
   */
  mirror(tree: Parser.Tree, text: string, rowBase = 0): CstNode {
    const next = new Map<string, MirrorNode[]>();
    const used = new Set<MirrorNode>();
    const keep = (t: string, n: MirrorNode): void => {
      const list = next.get(t);
      if (list) list.push(n);
      else next.set(t, [n]);
    };
    this.reused = 0;
    this.built = 0;
    const root = new Base(0, undefined, new SourceDoc(text, rowBase));
    const node = buildMirror(
      tree.walk(),
      root,
      0,
      (start, end) => {
        const t = text.slice(start, end);
        // A node is used once per version: an item already used (itself, or inside a reused
        // item), or holding one, is not reused.
        const old = this.items.get(t)?.find((n) => !used.has(n) && n.nested.every((x) => !used.has(x)));
        if (old) {
          this.reused++;
          used.add(old);
          keep(t, old);
          for (const n of old.nested) {
            used.add(n);
            keep(n.text, n);
          }
        }
        return old;
      },
      (t, n) => {
        this.built++;
        keep(t, n);
      },
    );
    this.items = next;
    return node;
  }
}

/** A mirror of a whole tree (no reuse); `text` must be the tree's text. */
export function mirrorTree(tree: Parser.Tree, text: string, missing = false): CstNode {
  return buildMirror(tree.walk(), new Base(0, undefined, new SourceDoc(text)), 0, undefined, undefined, missing);
}

// --- building

const typeNames: string[] = [];
const typeNamed: boolean[] = [];
const typeHasFields: boolean[] = [];
/** Whether nodes of the type may have children: named types that are not tokens (see `leafTypes`). */
const typeMayHaveChildren: boolean[] = [];
const fieldNames: (string | undefined)[] = [];

/** The ERROR node's type id in tree-sitter's API. */
const ERROR_TYPE_ID = 0xffff;

/**
 * Node types whose children need not cover them: grammar rules with hidden terminals (the
 * delimiters of raw strings, comment contents) and error recovery. Their offsets are read.
 */
const OWN_RANGE: ReadonlySet<string> = new Set([
  'ERROR',
  'line_comment',
  'block_comment',
  'doc_comment',
  'raw_string_literal',
  'string_literal',
  'char_literal',
]);

/**
 * Mirrors the cursor's node and its subtree. `reuse(start, end)` may return an earlier mirror
 * of an item with this text (absolute offsets); `built(text, node)` sees each item built.
 *
 * Native calls are what costs: per node its type id and (under a parent with fields) its field
 * id, and the moves of the cursor; offsets only for leaves, items, the root and `OWN_RANGE`
 * types, since any other inner node spans exactly from its first child's start to its last
 * child's end in tree-sitter (checked against tree-sitter for every fixture by the tests).
 * The nodes being built are kept in stacks indexed by depth (no object per node but the
 * mirror's own), since garbage collection would otherwise cost as much as the walk.
 */
function buildMirror(
  cursor: Parser.TreeCursor,
  parentBase: Base,
  parentStart: number,
  reuse?: (start: number, end: number) => MirrorNode | undefined,
  built?: (text: string, node: MirrorNode) => void,
  /** Also look for MISSING nodes (see `CstNode.hasError`). */
  missing = false,
): MirrorNode {
  // The nodes being built, by depth.
  const typeIds: number[] = [];
  const fieldOf: (string | undefined)[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const bases: Base[] = [];
  const baseStarts: number[] = [];
  const items: boolean[] = [];
  const children: (MirrorNode[] | undefined)[] = [];
  const fields: ((string | undefined)[] | undefined)[] = [];
  const nested: (MirrorNode[] | undefined)[] = [];
  const reused: (MirrorNode | undefined)[] = [];
  const errors: boolean[] = [];
  let depth = -1;
  let result: MirrorNode | undefined;
  const open = (base: Base, baseStart: number, readField: boolean, root: boolean): void => {
    const typeId = cursor.nodeTypeId;
    if (typeNames[typeId] === undefined) {
      const type = typeId === ERROR_TYPE_ID ? 'ERROR' : cursor.nodeType;
      typeNames[typeId] = type;
      typeNamed[typeId] = typeId === ERROR_TYPE_ID || cursor.nodeIsNamed;
      typeHasFields[typeId] = typesWithFields().has(type);
      typeMayHaveChildren[typeId] = typeNamed[typeId] && !leafTypes().has(type);
    }
    let field: string | undefined;
    if (readField) {
      const fieldId = cursor.currentFieldId;
      if (fieldId > 0) {
        if (fieldNames[fieldId] === undefined) fieldNames[fieldId] = cursor.currentFieldName;
        field = fieldNames[fieldId];
      }
    }
    const type = typeNames[typeId];
    const item = !!reuse && ITEM_TYPES.has(type);
    let start = -1;
    let end = -1;
    if (item || root || OWN_RANGE.has(type)) {
      start = cursor.startIndex;
      end = cursor.endIndex;
    }
    let b = base;
    let bs = baseStart;
    let old: MirrorNode | undefined;
    if (item) {
      old = reuse!(start, end);
      if (old) {
        // Re-attach the earlier subtree here; its nodes' offsets are relative to its own base.
        old.base.offset = start - baseStart;
        old.base.parent = base;
        old.base.doc = undefined;
      } else {
        b = new Base(start - baseStart, base, undefined);
        bs = start;
      }
    }
    const d = ++depth;
    typeIds[d] = typeId;
    fieldOf[d] = field;
    starts[d] = start;
    ends[d] = end;
    bases[d] = b;
    baseStarts[d] = bs;
    items[d] = item;
    children[d] = undefined;
    fields[d] = undefined;
    nested[d] = undefined;
    reused[d] = old;
    errors[d] = typeId === ERROR_TYPE_ID || (missing && cursor.nodeIsMissing);
  };
  const close = (): void => {
    const d = depth--;
    let node = reused[d];
    if (!node) {
      const kids = children[d];
      const base = bases[d];
      const bs = baseStarts[d];
      let start = starts[d];
      let end = ends[d];
      if (start < 0) {
        if (kids) {
          start = kids[0].startIndexIn(bs, base);
          end = kids[kids.length - 1].endIndexIn(bs, base);
        } else {
          start = cursor.startIndex;
          end = cursor.endIndex;
        }
      }
      const typeId = typeIds[d];
      node = new MirrorNode(
        typeNames[typeId],
        typeNamed[typeId],
        start - bs,
        end - bs,
        base,
        kids ?? NO_NODES,
        fields[d] ?? NO_FIELDS,
        errors[d],
      );
      if (items[d]) {
        node.nested = nested[d] ?? NO_NODES;
        built?.(node.text, node);
      }
    }
    if (d === 0) {
      result = node;
      return;
    }
    const p = d - 1;
    if (node.hasError) errors[p] = true;
    (children[p] ??= []).push(node);
    if (fieldOf[d] !== undefined || fields[p]) {
      const f = (fields[p] ??= new Array<string | undefined>(children[p]!.length - 1).fill(undefined));
      f.push(fieldOf[d]);
    }
    if (items[d]) {
      const list = (nested[p] ??= []);
      list.push(node);
      for (const n of node.nested) list.push(n);
    } else {
      const mine = nested[d];
      if (mine) {
        const list = (nested[p] ??= []);
        for (const n of mine) list.push(n);
      }
    }
  };
  open(parentBase, parentStart, false, true);
  for (;;) {
    // Anonymous nodes and named tokens have no children: no call to find out.
    if (!reused[depth] && typeMayHaveChildren[typeIds[depth]] && cursor.gotoFirstChild()) {
      open(bases[depth], baseStarts[depth], typeHasFields[typeIds[depth]], false);
      continue;
    }
    for (;;) {
      close();
      if (depth < 0) return result!;
      if (cursor.gotoNextSibling()) {
        open(bases[depth], baseStarts[depth], typeHasFields[typeIds[depth]], false);
        break;
      }
      cursor.gotoParent();
    }
  }
}

let leaves: ReadonlySet<string> | undefined;

/**
 * Named node types that are tokens (no children at all): tree-sitter-rust's named types with
 * no fields (not even an empty set: those have anonymous children), no named children and no
 * subtypes. Checked against tree-sitter on every fixture by the tests.
 */
function leafTypes(): ReadonlySet<string> {
  leaves ??= new Set(rustNodeTypes().flatMap((t) => (t.named && !t.fields && !t.children && !t.subtypes ? [t.type] : [])));
  return leaves;
}

let withFields: ReadonlySet<string> | undefined;

/** Node types that have fields (tree-sitter-rust's node-types.json): only their children have field ids. */
function typesWithFields(): ReadonlySet<string> {
  withFields ??= new Set(rustNodeTypes().flatMap((t) => (t.fields && Object.keys(t.fields).length ? [t.type] : [])));
  return withFields;
}

// --- small trees

const MAX_PARSE_CACHE = 2000;
const parseCache = new Map<string, { root: CstNode; hasError: boolean }>();

/**
 * Parses a small text (a macro's arguments wrapped as an expression) and mirrors it, cached by
 * text: the same `println!` arguments are parsed once. `hasError`: tree-sitter's verdict for
 * the root. The cache is bounded (oldest entries are dropped).
 */
export function parseMirror(text: string): { root: CstNode; hasError: boolean } {
  let r = parseCache.get(text);
  if (r) {
    // Most recently used last.
    parseCache.delete(text);
    parseCache.set(text, r);
    return r;
  }
  const tree = parseRust(text);
  r = { root: mirrorTree(tree, text, true), hasError: tree.rootNode.hasError };
  parseCache.set(text, r);
  if (parseCache.size > MAX_PARSE_CACHE) parseCache.delete(parseCache.keys().next().value!);
  return r;
}
