/**
 * The one renderer: a pure function from a `Snapshot` (shared/protocol.ts) to an SVG string.
 * The memory panel (webview/src/main.ts), the CLI (`rust-memory snapshot --format svg`) and the
 * tests all draw with it, so they show the same picture.
 *
 * Picture (Python Tutor / Aquascope conventions), two layouts:
 *
 *   wide:   Stack (frames, newest on top) │ gutter │ Heap, then static memory │ gutter
 *   narrow: Stack, then Heap, then static memory, in one column              │ gutter
 *
 * `maxWidth` chooses: side by side when it fits, else one column (a panel 400 px wide). Heap
 * blocks come in reachability order from the stack (depth first, in the order the frames and
 * slots are drawn), each placed level with the first slot that points to it when there is room,
 * so a linked list reads top to bottom and arrows from the stack run in order and do not cross.
 * Blocks nothing reaches (freed, leaked) follow in allocation order.
 *
 * Arrows start at the pointer's dot (the `ptr` field, or in the learner view the value's own
 * row) and end on what they point at: a field's row (`PointerTarget.path`), an element's row or
 * cell (`index`), else the box's header. Arrows between columns are curves through the middle
 * gutter; arrows within a column (and every arrow of the one-column layout) loop out through a
 * gutter on the right, shorter loops inside longer ones, so loops cross only where two spans
 * overlap without nesting (no order avoids that). An arrow to an element drawn as a cell enters
 * its box through the lane above the cells and ends on the cell's top edge; no arrow crosses
 * any other box.
 *
 * Two levels of detail (`detail`): `learner` draws values inline (a `String` as its text with an
 * arrow to its bytes; `ptr`/`len`/`cap` only for slots listed in `expanded`), moved-from and
 * dropped bindings on one line, and words instead of byte counts; `expert` draws every field
 * and size. Both name everything as Rust code does (blocks by their owner place, pointers by the
 * place they point at); ids appear only in `data-*` attributes and tooltips.
 *
 * Errors on the picture: a dangling pointer is labelled under its slot ("`first` points into
 * freed memory: this is what E0502 prevents", naming the error the step has passed), and a
 * moved-from binding that the step's error is about says so.
 *
 * Pure and deterministic: no DOM, no randomness, no clock. Text widths are estimated for a
 * monospace font (the CSS asks for one). Every text that comes from the user's program goes
 * through `escapeXml`.
 *
 * Hooks for the webview and the tests (stable across renders of the same snapshot):
 * - `g.frame[data-id][data-function]`, `g.slot[data-id][data-name][data-state]` with state
 *   classes `moved`, `partially-moved`, `dropped`, `uninit`, and `touched` when this step's
 *   events name it; rows `g.row[data-path]` (`''` for the slot's own row, `ptr`, `0.next`);
 *   `[data-expand]` on the toggle of a learner row with fields on demand.
 * - `g.heap-block[data-id]` (classes `freed`, `leaked`), `g.static-item[data-id]`, cells
 *   `g.cell[data-index]`, notes `g.note`.
 * - `g.arrow[data-source][data-source-path][data-target][data-target-path?][data-index?][data-region]`,
 *   each with one `path.arrow-line` that starts at the pointer's dot and ends on the element in
 *   `data-target-path` (a row) or `data-index` (a cell or row), or on the box.
 * - Every box has one `rect.box` (the outline).
 */
import type { Frame, HeapBlock, PointerTarget, Slot, Snapshot, SnapshotError, StaticItem, Value } from '../protocol';
import type { DetailSetting } from '../settings';
import { displayWidth } from './width';
import { blockTitle, elementType, heapNotDrawnText, movedText } from './names';

// --- options

export interface RenderOptions {
  /**
   * Put the diagram's CSS (`DIAGRAM_CSS`) in a `<style>` element inside the SVG, for standalone
   * .svg files. Default true. The webview passes false: its CSP forbids inline `<style>`, so it
   * adopts `DIAGRAM_CSS` as a constructed stylesheet instead.
   */
  embedStyle?: boolean;
  /** Draw `snapshot.message`, the step, its errors and events above the diagram. Default true. */
  caption?: boolean;
  /** Accessible title of the SVG. Default: `snapshot.message`. */
  title?: string;
  /** `learner` (default) or `expert`: see the module comment. */
  detail?: DetailSetting;
  /**
   * Width available, in px: above it the picture uses one column (stack, then heap, then static
   * memory) and shortens long values. Default: unlimited (side by side).
   */
  maxWidth?: number;
  /** Learner view: slot ids whose fields (`ptr`, `len`, `cap`, ...) are shown. */
  expanded?: readonly string[];
}

// --- escaping

/**
 * Escapes text for XML/HTML text and attribute values (`&`, `<`, `>`, `"`, `'`). Characters XML
 * 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) become U+FFFD,
 * so the output always parses.
 */
export function escapeXml(text: string): string {
  return String(text)
    .replace(
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML forbids
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// --- geometry constants (px)

const FONT_SIZE = 12;
/** Advance of one monospace character at FONT_SIZE (DejaVu Sans Mono / Menlo are 0.602 em). */
const CH = 7.3;
const ROW_H = 20;
const NOTE_H = 16;
const HEADER_H = 24;
const PAD = 8;
const INDENT = 14;
const COL_GAP = 14;
const DOT_SPACE = 18;
const BOX_GAP = 14;
const SECTION_H = 22;
const MID_GUTTER = 110;
const LOOP_START = 16;
const LOOP_STEP = 9;
const MARGIN = 12;
const CELL_H = 22;
/** The lane above a line of cells that arrows to an element run in. */
const LANE_H = 8;
const INDEX_H = 12;
const MAX_CELLS = 64;
const MAX_CELLS_PER_LINE = 16;
const MAX_FIELD_ROWS = 32;
const MAX_DEPTH = 6;
const MAX_NAME = 24;
const MAX_TYPE = 28;
const MAX_CAPTION_EVENTS = 6;
const MIN_BOX_W = 180;

/** Colours are the VS Code theme's variables, with light fallbacks for standalone SVG files. */
export const DIAGRAM_CSS = `
.rm-diagram { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: ${FONT_SIZE}px; }
.rm-diagram text { fill: var(--vscode-editor-foreground, #1f2328); dominant-baseline: central; white-space: pre; }
.rm-diagram .bg { fill: var(--vscode-editor-background, #ffffff); }
.rm-diagram .caption { font-weight: bold; }
.rm-diagram .caption-sub, .rm-diagram .muted, .rm-diagram .type, .rm-diagram .size, .rm-diagram .meta { fill: var(--vscode-descriptionForeground, #59636e); }
.rm-diagram .caption-error { fill: var(--vscode-errorForeground, #cf222e); font-weight: bold; }
.rm-diagram .section { font-weight: bold; fill: var(--vscode-descriptionForeground, #59636e); letter-spacing: 0.05em; }
.rm-diagram rect.box { fill: var(--vscode-editorWidget-background, #f6f8fa); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, #c5ccd3)); stroke-width: 1; }
.rm-diagram .frame.current rect.box { stroke: var(--vscode-focusBorder, #0969da); stroke-width: 1.5; }
.rm-diagram rect.header { fill: var(--vscode-editorGroupHeader-tabsBackground, var(--vscode-editorWidget-background, #eaeef2)); stroke: none; }
.rm-diagram .heap-block rect.header { fill: var(--vscode-editorGroupHeader-tabsBackground, var(--vscode-editorWidget-background, #fff1e0)); }
.rm-diagram .static-item rect.header { fill: var(--vscode-editorGroupHeader-tabsBackground, var(--vscode-editorWidget-background, #f1ebfb)); }
.rm-diagram .frame .title { font-weight: bold; fill: var(--vscode-symbolIcon-functionForeground, #8250df); }
.rm-diagram .heap-block .title { font-weight: bold; fill: var(--vscode-charts-orange, #bc4c00); }
.rm-diagram .static-item .title { font-weight: bold; fill: var(--vscode-charts-purple, #8250df); }
.rm-diagram .name { fill: var(--vscode-symbolIcon-variableForeground, var(--vscode-editor-foreground, #0550ae)); }
.rm-diagram .field .name { fill: var(--vscode-descriptionForeground, #59636e); }
.rm-diagram .toggle { fill: var(--vscode-textLink-foreground, #0969da); cursor: pointer; }
.rm-diagram rect.row-bg { fill: transparent; }
.rm-diagram .slot.touched > .row.own rect.row-bg, .rm-diagram .heap-block.touched rect.header, .rm-diagram .static-item.touched rect.header { fill: var(--vscode-editor-selectionHighlightBackground, rgba(173, 214, 255, 0.55)); }
body.vscode-high-contrast .rm-diagram .slot.touched > .row.own rect.row-bg, body.vscode-high-contrast .rm-diagram .heap-block.touched rect.header, body.vscode-high-contrast .rm-diagram .static-item.touched rect.header { fill: none; stroke: var(--vscode-contrastActiveBorder, #f38518); stroke-width: 1; stroke-dasharray: 3 2; }
.rm-diagram .slot.moved text, .rm-diagram .slot.uninit text { fill: var(--vscode-disabledForeground, #8c959f); }
.rm-diagram .slot.moved .state, .rm-diagram .slot.uninit .state { font-style: italic; }
.rm-diagram .slot.dropped text { fill: var(--vscode-disabledForeground, #8c959f); }
.rm-diagram .slot.dropped .state, .rm-diagram .heap-block.freed .tag, .rm-diagram .dangling-label { fill: var(--vscode-errorForeground, #cf222e); font-weight: bold; }
.rm-diagram .note text, .rm-diagram .slot .note text { fill: var(--vscode-errorForeground, #cf222e); font-style: normal; }
.rm-diagram .heap-block.freed rect.box { stroke: var(--vscode-errorForeground, #cf222e); stroke-dasharray: 5 3; }
.rm-diagram .heap-block.freed .cell text, .rm-diagram .heap-block.freed .row text { fill: var(--vscode-disabledForeground, #8c959f); }
.rm-diagram .heap-block.leaked rect.box { stroke: var(--vscode-editorWarning-foreground, #9a6700); stroke-width: 1.5; }
.rm-diagram .heap-block.leaked .tag { fill: var(--vscode-editorWarning-foreground, #9a6700); font-weight: bold; }
.rm-diagram .cell rect { fill: var(--vscode-editor-background, #ffffff); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, #c5ccd3)); }
.rm-diagram .cell.spare rect { fill: none; stroke-dasharray: 2 2; }
.rm-diagram .index { font-size: 9px; fill: var(--vscode-descriptionForeground, #59636e); }
.rm-diagram .dot { fill: var(--vscode-textLink-foreground, #0969da); }
.rm-diagram .dot.dead { fill: none; stroke: var(--vscode-disabledForeground, #8c959f); }
.rm-diagram .dot.dangling { fill: var(--vscode-errorForeground, #cf222e); }
.rm-diagram .arrow { pointer-events: none; }
.rm-diagram .arrow .arrow-line { fill: none; stroke: var(--vscode-textLink-foreground, #0969da); stroke-width: 1.5; }
.rm-diagram .arrow .arrow-head { fill: var(--vscode-textLink-foreground, #0969da); stroke: none; }
.rm-diagram .arrow[data-region="stack"] .arrow-line { stroke: var(--vscode-charts-green, #1a7f37); }
.rm-diagram .arrow[data-region="stack"] .arrow-head { fill: var(--vscode-charts-green, #1a7f37); }
.rm-diagram .arrow[data-region="static"] .arrow-line { stroke: var(--vscode-charts-purple, #8250df); }
.rm-diagram .arrow[data-region="static"] .arrow-head { fill: var(--vscode-charts-purple, #8250df); }
.rm-diagram .arrow.dangling .arrow-line { stroke: var(--vscode-errorForeground, #cf222e); stroke-dasharray: 4 3; }
.rm-diagram .arrow.dangling .arrow-head { fill: var(--vscode-errorForeground, #cf222e); }
.rm-diagram .arrow.hot .arrow-line { stroke-width: 3; }
.rm-diagram .slot:hover > .row.own rect.row-bg, .rm-diagram .slot:focus > .row.own rect.row-bg { fill: var(--vscode-list-hoverBackground, rgba(0, 0, 0, 0.05)); }
.rm-diagram .notice { fill: var(--vscode-editorWarning-foreground, #9a6700); }
.rm-diagram .slot, .rm-diagram .heap-block, .rm-diagram .static-item { cursor: pointer; }
`;

// --- text measure

function textWidth(s: string): number {
  return displayWidth(s) * CH;
}

/** Shortens `s` to at most `max` columns, ending with `…` when cut. */
function clip(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  let out = '';
  let n = 0;
  for (const ch of s) {
    const w = displayWidth(ch);
    if (n + w > max - 1) break;
    out += ch;
    n += w;
  }
  return out + '…';
}

/** Splits `s` into lines of at most `max` columns, at spaces where it can. */
function wrap(s: string, max: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of s.split(' ')) {
    const next = cur ? `${cur} ${word}` : word;
    if (displayWidth(next) <= max || !cur) cur = next;
    else {
      lines.push(cur);
      cur = word;
    }
  }
  if (cur) lines.push(cur);
  return lines.flatMap((l) => (displayWidth(l) <= max ? [l] : [clip(l, max)]));
}

function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function bytes(n: number | null | undefined): string {
  return n === null || n === undefined ? '? B' : `${n} B`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// --- values

/**
 * The pointer a value stands for in one row: a pointer itself, or the `ptr` field of a std
 * handle drawn as one value (String, Vec, &str, Box<dyn Trait>, HashMap). Undefined when the
 * value holds no pointer of its own.
 */
function handlePointer(v: Value): PointerTarget | null | undefined {
  if (v.kind === 'pointer') return v.target;
  if (
    v.kind === 'aggregate' &&
    v.fields.length > 0 &&
    v.fields[0].name === 'ptr' &&
    v.fields.every((f) => /^(ptr|len|cap|vtable)$/.test(f.name))
  ) {
    const p = v.fields[0].value;
    return p.kind === 'pointer' ? p.target : undefined;
  }
  return undefined;
}

/** A wrapper drawn as what it wraps: `Some(x)`, `Ok(x)` (one payload field), `Cell(x)`. */
function unwrapped(v: Value): Value | undefined {
  if (v.kind !== 'aggregate') return undefined;
  if (v.variant !== undefined && v.fields.length === 1) return v.fields[0].value;
  if (v.adt === 'Cell' && v.fields.length === 1) return v.fields[0].value;
  return undefined;
}

// --- rows (stack slots, fields, heap elements)

/** One line of a table: a slot, one of its fields, an element of a heap block, or a note. */
interface RowSpec {
  /** `own` for the slot/element itself, `field` for nested fields, `note` for a label. */
  kind: 'own' | 'field' | 'note';
  depth: number;
  path: string;
  label: string;
  type: string;
  size: string;
  value: string;
  /** The state note shown instead of the value (`moved to y`, `dropped`, `uninit`). */
  state?: string;
  pointer?: PointerTarget | null;
  /** Pointer drawn as a hollow dot and without an arrow (moved/dropped/uninit owners). */
  dead: boolean;
  title: string;
  /** Learner view: the row has fields on demand (`collapsed`) or shown (`expanded`). */
  toggle?: 'collapsed' | 'expanded';
  /** The slot id the toggle expands. */
  toggleId?: string;
}

interface RowCtx {
  learner: boolean;
  expanded: ReadonlySet<string>;
  /** Rows left for the value being drawn (each slot, element or static starts with MAX_FIELD_ROWS). */
  budget: { rows: number };
}

/** `cx` with a fresh row budget, for one top-level value. */
function fresh(cx: RowCtx): RowCtx {
  return { ...cx, budget: { rows: MAX_FIELD_ROWS } };
}

/** Where a row sits: its label, nesting, path, liveness and kind, and its type/size columns. */
interface RowAt {
  label: string;
  depth: number;
  path: string;
  dead: boolean;
  kind: 'own' | 'field';
  type?: string;
  size?: string;
}

/**
 * Appends the rows of value `value` at `at`: a row for it, and rows for its fields as the
 * detail level wants them (recursively, at most MAX_DEPTH levels and MAX_FIELD_ROWS rows).
 */
function valueRows(value: Value, at: RowAt, cx: RowCtx, out: RowSpec[]): RowSpec {
  const row = rowForValue(value, at);
  out.push(row);
  const { depth, path, dead } = at;
  if (value.kind !== 'aggregate' || depth >= MAX_DEPTH) return row;
  if (cx.learner) {
    // Values inline: a handle (String, Vec, &str, Box<dyn>) is one row with its pointer; a
    // wrapper is drawn as what it wraps; a struct shows its fields.
    const ptr = handlePointer(value);
    if (ptr !== undefined) {
      row.pointer = ptr;
      return row;
    }
    const inner = unwrapped(value);
    if (inner && inner.kind !== 'aggregate') {
      if (inner.kind === 'pointer') row.pointer = inner.target;
      return row;
    }
    if (inner && inner.kind === 'aggregate' && handlePointer(inner) !== undefined) {
      row.pointer = handlePointer(inner);
      return row;
    }
  }
  // The fields are drawn below: no summary of them on this row (strings and vectors keep
  // their text, it is their contents).
  if (handlePointer(value) === undefined) row.value = value.variant ?? '';
  for (const f of value.fields) {
    if (cx.budget.rows <= 0) {
      const more = 'more fields not shown';
      out.push({
        kind: 'field',
        depth: depth + 1,
        path: path ? `${path}.…` : '…',
        label: '…',
        type: '',
        size: '',
        value: more,
        dead,
        title: more,
      });
      return row;
    }
    cx.budget.rows--;
    valueRows(
      f.value,
      { label: String(f.name), depth: depth + 1, path: path ? `${path}.${f.name}` : String(f.name), dead, kind: 'field' },
      cx,
      out,
    );
  }
  return row;
}

function rowForValue(value: Value, at: RowAt): RowSpec {
  const text = value.kind === 'uninit' ? 'uninit' : value.text;
  const type = at.type ?? '';
  return {
    kind: at.kind,
    depth: at.depth,
    path: at.path,
    label: at.label,
    type,
    size: at.size ?? '',
    value: text,
    pointer: value.kind === 'pointer' ? value.target : undefined,
    dead: at.dead,
    title: `${at.label}${type ? `: ${type}` : ''} = ${text}`,
  };
}

function slotRows(slot: Slot, shared: RowCtx, notes: string[]): RowSpec[] {
  const cx = fresh(shared);
  const dead = slot.state === 'moved' || slot.state === 'dropped' || slot.state === 'uninit' || slot.value.kind === 'uninit';
  const size = cx.learner ? '' : slot.size === null ? '? B' : `${slot.size} B`;
  let stateNote: string | undefined;
  if (slot.state === 'moved') stateNote = movedText(slot.movedTo?.to);
  else if (slot.state === 'dropped') stateNote = 'dropped';
  else if (slot.state === 'uninit' || slot.value.kind === 'uninit') stateNote = 'uninit';
  else if (slot.state === 'partially-moved') stateNote = `partly moved: ${slot.value.text}`;
  const rows: RowSpec[] = [];
  // Learner view: moved-from, dropped and uninit bindings on one line.
  const oneLine = cx.learner && stateNote !== undefined && slot.state !== 'partially-moved';
  const at: RowAt = { label: slot.name, depth: 0, path: '', dead, kind: 'own', type: slot.type, size };
  const own = oneLine
    ? rowForValue(slot.value, at)
    : valueRows(slot.value, at, { ...cx, learner: cx.learner && !cx.expanded.has(slot.id) }, rows);
  if (oneLine) {
    rows.push(own);
    if (own.pointer === undefined) own.pointer = handlePointer(slot.value);
  }
  own.label = slot.mutable ? `mut ${slot.name}` : slot.name;
  own.state = stateNote;
  if (cx.learner && !oneLine && slot.value.kind === 'aggregate' && slot.value.fields.length > 0) {
    const hidden = !cx.expanded.has(slot.id) && rows.length === 1;
    const shown = cx.expanded.has(slot.id);
    if (hidden || shown) {
      own.toggle = shown ? 'expanded' : 'collapsed';
      own.toggleId = slot.id;
    }
  }
  const where = slot.movedTo ? ` at ${slot.movedTo.line}:${slot.movedTo.column}` : '';
  own.title =
    `${slot.name}: ${slot.type} (${slot.size === null ? 'size unknown' : `${slot.size} bytes`}${slot.align !== null ? `, align ${slot.align}` : ''}) = ${slot.value.text}` +
    (slot.state === 'moved' ? ` — ${movedText(slot.movedTo?.to)}${where}` : slot.state !== 'init' ? ` — ${slot.state}` : '') +
    (slot.borrowedBy && slot.borrowedBy.length ? ` — borrowed by ${slot.borrowedBy.join(', ')}` : '') +
    ` [${slot.id}]`;
  for (const n of notes)
    rows.push({ kind: 'note', depth: 0, path: `note:${rows.length}`, label: '', type: '', size: '', value: n, dead: false, title: n });
  return rows;
}

/** Column widths shared by every table in one column of the picture. */
interface Columns {
  name: number;
  type: number;
  size: number;
  value: number;
  /** Most columns a value may take before it is clipped. */
  maxValue: number;
}

function measureRows(rows: RowSpec[], cols: Columns): void {
  for (const r of rows) {
    if (r.kind === 'note') continue;
    cols.name = Math.max(cols.name, r.depth * INDENT + textWidth(clip(r.label, MAX_NAME)) + (r.toggle ? CH * 2 : 0));
    cols.type = Math.max(cols.type, textWidth(clip(r.type, MAX_TYPE)));
    cols.size = Math.max(cols.size, textWidth(r.size));
    cols.value = Math.max(cols.value, textWidth(clip(r.state ?? r.value, cols.maxValue)));
  }
}

function tableWidth(c: Columns): number {
  return PAD + c.name + COL_GAP + (c.type ? c.type + COL_GAP : 0) + (c.size ? c.size + COL_GAP : 0) + c.value + DOT_SPACE + PAD;
}

/** Rows a note takes at width `w` (it wraps). */
function noteLines(text: string, w: number): string[] {
  return wrap(text, Math.max(16, Math.floor((w - 2 * PAD) / CH)));
}

function rowsHeight(rows: RowSpec[], w: number): number {
  let h = 0;
  for (const r of rows) h += r.kind === 'note' ? noteLines(r.value, w).length * NOTE_H + 2 : ROW_H;
  return h;
}

// --- boxes

type Column = 'stack' | 'right';

/** A frame, heap block or static item, measured; `x`/`y` are set when placed. */
interface BoxModel {
  kind: 'frame' | 'heap' | 'static';
  id: string;
  classes: string[];
  title: string;
  /** Right-aligned text in the header (frame: where it was called; block: freed/leaked). */
  tag?: string;
  tagClass?: string;
  meta?: string;
  tooltip: string;
  attrs: string;
  /** Frames: one group per slot; blocks: one group per element or the value's fields. */
  groups: { ownerId: string; rows: RowSpec[]; slot?: Slot }[];
  cells?: { text: string; spare: boolean }[];
  more?: number;
  cellW: number;
  perLine: number;
  w: number;
  h: number;
  x: number;
  y: number;
  column: Column;
}

/** Where arrows may end on a drawn box. */
interface Anchor {
  box: BoxModel;
  /** Row centre y by path (`''` the own row; a block's element index `0`, fields `0.next`). */
  rows: Map<string, number>;
  /** Cells by element index. */
  cells: Map<number, { x: number; y: number; w: number }>;
}

interface Source {
  ownerId: string;
  path: string;
  x: number;
  y: number;
  box: BoxModel;
  pointer: PointerTarget;
  /** A reference from one stack slot to another leaves on the left (its loop stays out of the heap's way). */
  side: 'left' | 'right';
}

/** A box's geometry before it is measured and placed. */
function unplaced(): Pick<BoxModel, 'cellW' | 'perLine' | 'w' | 'h' | 'x' | 'y'> {
  return { cellW: 0, perLine: 0, w: 0, h: 0, x: 0, y: 0 };
}

/** The frame's header note: where it was called. */
function frameNote(f: Frame): string {
  return f.callSite ? `called at line ${f.callSite.start.line + 1}` : '';
}

function frameBox(f: Frame, current: boolean, cx: RowCtx, notes: Map<string, string[]>): BoxModel {
  return {
    kind: 'frame',
    id: f.id,
    classes: current ? ['frame', 'current'] : ['frame'],
    title: f.function,
    tag: frameNote(f),
    tagClass: 'muted',
    tooltip: `frame of ${f.function}${f.callSite ? `, ${frameNote(f)}` : ''} [${f.id}]`,
    attrs: `data-function="${escapeXml(f.function)}"`,
    groups: f.slots.map((sl) => ({ ownerId: sl.id, rows: slotRows(sl, cx, notes.get(sl.id) ?? []), slot: sl })),
    ...unplaced(),
    column: 'stack',
  };
}

/** The block's sizes in words (learner) or bytes (expert). */
function blockMeta(b: HeapBlock, learner: boolean): string {
  const meta: string[] = [];
  const len = b.len ?? null;
  const cap = b.elementCapacity ?? null;
  if (learner) {
    if (b.kind === 'String' && len !== null && cap !== null) meta.push(`${len} of ${plural(cap, 'byte')}`);
    else if (len !== null && cap !== null) meta.push(`${len} of ${plural(cap, 'element')}`);
  } else {
    if (len !== null) meta.push(`len ${len}`);
    if (cap !== null) meta.push(`cap ${cap}`);
    if (b.size !== null || b.capacity !== null)
      meta.push(b.capacity !== null && b.capacity !== b.size ? `${bytes(b.size)} of ${bytes(b.capacity)}` : bytes(b.size));
  }
  if (b.rc) meta.push(`strong ${b.rc.strong} · weak ${b.rc.weak}`);
  if (!b.ownerPlace && b.state === 'live') meta.push('no owner in scope');
  return meta.join(' · ');
}

function heapBox(b: HeapBlock, shared: RowCtx, touched: Set<string>): BoxModel {
  const cx = fresh(shared);
  const classes = ['heap-block'];
  if (b.state !== 'live') classes.push(b.state);
  if (touched.has(b.id)) classes.push('touched');
  const tag = b.state === 'freed' ? 'freed' : b.state === 'leaked' ? 'leaked' : undefined;
  const meta = blockMeta(b, cx.learner);
  const item: BoxModel = {
    kind: 'heap',
    id: b.id,
    classes,
    title: blockTitle(b),
    tag,
    tagClass: 'tag',
    meta,
    tooltip: `${blockTitle(b)}${b.text !== undefined ? ` ${JSON.stringify(b.text)}` : ''} — ${blockMeta(b, false)}${tag ? ` — ${tag}` : ''} [${b.id}]`,
    attrs: '',
    groups: [],
    ...unplaced(),
    column: 'right',
  };
  const contents = b.contents ?? [];
  const dead = b.state === 'freed';
  if (contents.some((v) => v.kind === 'pointer' || v.kind === 'aggregate')) {
    const single = contents.length === 1 && !/^\[/.test(b.type);
    if (single && contents[0].kind === 'aggregate' && !(cx.learner && handlePointer(contents[0]) !== undefined)) {
      // One value (Box<Node>, an Rc's RefCell<Node>): its fields are the block's rows.
      const rows: RowSpec[] = [];
      const v = contents[0];
      for (const f of v.fields) {
        const inner =
          v.adt === 'RefCell' && f.name === 'value' && f.value.kind === 'aggregate' && handlePointer(f.value) === undefined
            ? f.value
            : undefined;
        if (inner && inner.kind === 'aggregate') {
          // A RefCell's value: its fields directly under the borrow flag.
          for (const g of inner.fields)
            valueRows(g.value, { label: g.name, depth: 0, path: `${f.name}.${g.name}`, dead, kind: 'field' }, cx, rows);
        } else valueRows(f.value, { label: f.name, depth: 0, path: f.name, dead, kind: 'field' }, cx, rows);
      }
      item.groups = [{ ownerId: b.id, rows }];
    } else {
      item.groups = contents.slice(0, MAX_CELLS).map((v, i) => {
        const rows: RowSpec[] = [];
        const at: RowAt = { label: single ? 'value' : `[${i}]`, depth: 0, path: single ? '' : String(i), dead, kind: 'own' };
        valueRows(v, { ...at, type: single || cx.learner ? '' : elementType(b) }, fresh(cx), rows);
        return { ownerId: b.id, rows };
      });
    }
    item.more = Math.max(0, contents.length - MAX_CELLS);
  } else {
    const spare =
      b.elementCapacity !== undefined && b.elementCapacity !== null && b.len !== undefined && b.len !== null
        ? Math.max(0, b.elementCapacity - Math.max(b.len, contents.length))
        : 0;
    const cells = contents.map((v) => ({ text: v.kind === 'uninit' ? '' : v.text, spare: false }));
    for (let i = 0; i < spare && cells.length < MAX_CELLS + 1; i++) cells.push({ text: '', spare: true });
    item.more = Math.max(0, contents.length + spare - MAX_CELLS);
    item.cells = cells.slice(0, MAX_CELLS);
  }
  return item;
}

function staticBox(st: StaticItem, shared: RowCtx, touched: Set<string>): BoxModel {
  const cx = fresh(shared);
  const classes = ['static-item', st.kind];
  if (touched.has(st.id)) classes.push('touched');
  const what =
    st.kind === 'literal' ? 'string literal' : st.kind === 'vtable' ? 'vtable' : st.kind === 'promoted' ? 'promoted constant' : 'static';
  const meta = cx.learner ? `${what}${st.size !== null ? `, ${plural(st.size, 'byte')}` : ''}` : `${what} · ${st.type} · ${bytes(st.size)}`;
  const item: BoxModel = {
    kind: 'static',
    id: st.id,
    classes,
    title: st.kind === 'vtable' ? `${st.name} vtable` : st.name,
    meta,
    tooltip: `${st.kind === 'literal' ? 'string literal' : st.kind === 'vtable' ? `vtable ${st.name}` : st.kind === 'promoted' ? `promoted constant ${st.name}` : `static ${st.name}`}: ${st.type}, ${st.size === null ? 'size unknown' : `${st.size} bytes`}, in static memory for the whole run [${st.id}]`,
    attrs: '',
    groups: [],
    ...unplaced(),
    column: 'right',
  };
  if (st.kind !== 'literal' || st.value.kind === 'pointer' || st.value.kind === 'aggregate') {
    const rows: RowSpec[] = [];
    if (st.kind === 'vtable' && st.value.kind === 'aggregate')
      for (const f of st.value.fields) valueRows(f.value, { label: f.name, depth: 0, path: f.name, dead: false, kind: 'field' }, cx, rows);
    else valueRows(st.value, { label: 'value', depth: 0, path: '', dead: false, kind: 'own' }, cx, rows);
    item.groups = [{ ownerId: st.id, rows }];
  }
  return item;
}

/** Measures a column of boxes to one width (at least `minW`); returns it. */
function measureColumn(boxes: BoxModel[], cols: Columns, minW: number): number {
  for (const b of boxes) for (const g of b.groups) measureRows(g.rows, cols);
  const tableW = cols.value || cols.name ? tableWidth(cols) : 0;
  let width = Math.max(minW, tableW);
  for (const b of boxes) {
    width = Math.max(
      width,
      textWidth(clip(b.title, 40)) + (b.tag ? textWidth(b.tag) + PAD * 2 : 0) + 2 * PAD,
      b.meta ? textWidth(b.meta) + 2 * PAD : 0,
    );
    if (b.cells) {
      const longest = b.cells.reduce((m, c) => Math.max(m, displayWidth(clip(c.text, 12))), 1);
      b.cellW = Math.max(22, longest * CH + 10);
      b.perLine = Math.max(1, Math.min(MAX_CELLS_PER_LINE, b.cells.length));
    }
  }
  width = Math.min(width, Math.max(tableW, 560));
  for (const b of boxes) {
    if (b.cells) width = Math.max(width, Math.min(b.perLine, 4) * b.cellW + 2 * PAD);
  }
  return width;
}

/** Sets each box's width and height for column width `w`. */
function sizeBoxes(boxes: BoxModel[], w: number): void {
  for (const b of boxes) {
    b.w = w;
    let body = 0;
    if (b.kind === 'frame') {
      body = b.groups.reduce((n, g) => n + rowsHeight(g.rows, w), 0);
      b.h = HEADER_H + Math.max(body, ROW_H) + 6;
      continue;
    }
    if (b.cells && b.cells.length) {
      b.perLine = Math.max(1, Math.min(b.perLine, Math.floor((w - 2 * PAD) / b.cellW)));
      body = Math.ceil(b.cells.length / b.perLine) * (LANE_H + CELL_H + INDEX_H) + 4;
    }
    if (b.groups.length) body = b.groups.reduce((n, g) => n + rowsHeight(g.rows, w), 0) + 4;
    if (b.more) body += ROW_H;
    b.h = HEADER_H + (b.meta ? ROW_H : 4) + body + 2;
  }
}

// --- drawing

interface Ctx {
  parts: string[];
  anchors: Map<string, Anchor>;
  sources: Source[];
  /** Ids this step's events name (highlighted). */
  touched: Set<string>;
}

function renderRows(ctx: Ctx, rows: RowSpec[], ownerId: string, box: BoxModel, y: number, cols: Columns, anchor: Anchor): number {
  const x = box.x;
  const w = box.w;
  const xName = x + PAD;
  const xType = xName + cols.name + COL_GAP;
  const xSize = xType + (cols.type ? cols.type + COL_GAP : 0);
  const xValue = xSize + (cols.size ? cols.size + COL_GAP : 0);
  const valueCols = Math.max(6, Math.floor((x + w - DOT_SPACE - PAD - xValue) / CH + 0.01));
  for (const r of rows) {
    if (r.kind === 'note') {
      const lines = noteLines(r.value, w);
      ctx.parts.push(`<g class="note" data-path="${escapeXml(r.path)}"><title>${escapeXml(r.title)}</title>`);
      lines.forEach((l, i) => ctx.parts.push(`<text x="${num(xName)}" y="${num(y + 1 + NOTE_H * i + NOTE_H / 2)}">${escapeXml(l)}</text>`));
      ctx.parts.push('</g>');
      y += lines.length * NOTE_H + 2;
      continue;
    }
    const cy = y + ROW_H / 2;
    anchor.rows.set(r.path, cy);
    const cls = r.kind === 'own' ? 'row own' : 'row field';
    ctx.parts.push(`<g class="${cls}" data-path="${escapeXml(r.path)}"><title>${escapeXml(r.title)}</title>`);
    ctx.parts.push(`<rect class="row-bg" x="${num(x + 1)}" y="${num(y)}" width="${num(w - 2)}" height="${ROW_H}"/>`);
    let nx = xName + r.depth * INDENT;
    if (r.toggle) {
      ctx.parts.push(
        `<text class="toggle" x="${num(nx)}" y="${num(cy)}" data-expand="${escapeXml(r.toggleId ?? '')}" role="button" aria-label="${r.toggle === 'collapsed' ? 'show the fields' : 'hide the fields'}">${r.toggle === 'collapsed' ? '▸' : '▾'}</text>`,
      );
      nx += CH * 2;
    }
    ctx.parts.push(`<text class="name" x="${num(nx)}" y="${num(cy)}">${escapeXml(clip(r.label, MAX_NAME))}</text>`);
    if (r.type) ctx.parts.push(`<text class="type" x="${num(xType)}" y="${num(cy)}">${escapeXml(clip(r.type, MAX_TYPE))}</text>`);
    if (r.size) ctx.parts.push(`<text class="size" x="${num(xSize)}" y="${num(cy)}">${escapeXml(r.size)}</text>`);
    const shown = r.state ?? r.value;
    if (shown)
      ctx.parts.push(
        `<text class="${r.state ? 'value state' : 'value'}" x="${num(xValue)}" y="${num(cy)}">${escapeXml(clip(shown, valueCols))}</text>`,
      );
    if (r.pointer !== undefined) {
      const side = box.kind === 'frame' && r.pointer?.region === 'stack' && !r.pointer.dangling ? 'left' : 'right';
      const dx = side === 'left' ? x + 3.5 : x + w - PAD - 3;
      const dangling = !!r.pointer?.dangling && !r.dead;
      ctx.parts.push(
        `<circle class="${r.dead || !r.pointer ? 'dot dead' : dangling ? 'dot dangling' : 'dot'}" cx="${num(dx)}" cy="${num(cy)}" r="3.5"/>`,
      );
      if (!r.dead && r.pointer) ctx.sources.push({ ownerId, path: r.path, x: dx, y: cy, box, pointer: r.pointer, side });
    }
    ctx.parts.push('</g>');
    y += ROW_H;
  }
  return y;
}

function drawBox(ctx: Ctx, b: BoxModel, cols: Columns): void {
  const { x, y, w } = b;
  const anchor: Anchor = { box: b, rows: new Map(), cells: new Map() };
  ctx.parts.push(
    `<g class="${b.classes.join(' ')}" data-id="${escapeXml(b.id)}"${b.attrs ? ` ${b.attrs}` : ''}${b.kind === 'frame' ? '' : ' tabindex="0"'}>`,
  );
  ctx.parts.push(`<title>${escapeXml(b.tooltip)}</title>`);
  ctx.parts.push(`<rect class="box" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(b.h)}" rx="4"/>`);
  ctx.parts.push(`<rect class="header" x="${num(x + 1)}" y="${num(y + 1)}" width="${num(w - 2)}" height="${HEADER_H - 1}" rx="3"/>`);
  const tagW = b.tag ? textWidth(b.tag) + PAD : 0;
  const titleCols = Math.max(8, Math.floor((w - 2 * PAD - tagW) / CH));
  ctx.parts.push(`<text class="title" x="${num(x + PAD)}" y="${num(y + HEADER_H / 2)}">${escapeXml(clip(b.title, titleCols))}</text>`);
  if (b.tag)
    ctx.parts.push(
      `<text class="${b.tagClass ?? 'tag'}" x="${num(x + w - PAD)}" y="${num(y + HEADER_H / 2)}" text-anchor="end">${escapeXml(b.tag)}</text>`,
    );
  let by = y + HEADER_H;
  if (b.kind === 'frame') {
    by += 2;
    if (b.groups.length === 0) ctx.parts.push(`<text class="muted" x="${num(x + PAD)}" y="${num(by + ROW_H / 2)}">no locals</text>`);
    for (const g of b.groups) {
      const sl = g.slot!;
      const classes = ['slot'];
      if (sl.state !== 'init') classes.push(sl.state);
      if (ctx.touched.has(sl.id)) classes.push('touched');
      ctx.parts.push(
        `<g class="${classes.join(' ')}" tabindex="0" data-id="${escapeXml(sl.id)}" data-name="${escapeXml(sl.name)}" data-state="${escapeXml(sl.state)}">`,
      );
      const slotAnchor: Anchor = { box: b, rows: new Map(), cells: new Map() };
      by = renderRows(ctx, g.rows, sl.id, b, by, cols, slotAnchor);
      ctx.parts.push('</g>');
      ctx.anchors.set(sl.id, slotAnchor);
    }
    ctx.parts.push('</g>');
    return;
  }
  if (b.meta) {
    ctx.parts.push(
      `<text class="meta" x="${num(x + PAD)}" y="${num(by + ROW_H / 2)}">${escapeXml(clip(b.meta, Math.floor((w - 2 * PAD) / CH)))}</text>`,
    );
    by += ROW_H;
  } else by += 4;
  if (b.cells) {
    b.cells.forEach((c, i) => {
      const line = Math.floor(i / b.perLine);
      const cx = x + PAD + (i % b.perLine) * b.cellW;
      const top = by + line * (LANE_H + CELL_H + INDEX_H) + LANE_H;
      if (!c.spare) anchor.cells.set(i, { x: cx, y: top, w: b.cellW });
      anchor.rows.set(String(i), top + CELL_H / 2);
      ctx.parts.push(`<g class="${c.spare ? 'cell spare' : 'cell'}" data-index="${i}">`);
      ctx.parts.push(`<rect x="${num(cx)}" y="${num(top)}" width="${num(b.cellW)}" height="${CELL_H}"/>`);
      if (c.text)
        ctx.parts.push(
          `<text x="${num(cx + b.cellW / 2)}" y="${num(top + CELL_H / 2)}" text-anchor="middle">${escapeXml(clip(c.text, 12))}</text>`,
        );
      ctx.parts.push(
        `<text class="index" x="${num(cx + b.cellW / 2)}" y="${num(top + CELL_H + 6)}" text-anchor="middle">${c.spare ? '' : i}</text>`,
      );
      ctx.parts.push('</g>');
    });
    if (b.cells.length) by += Math.ceil(b.cells.length / b.perLine) * (LANE_H + CELL_H + INDEX_H) + 4;
  }
  for (const g of b.groups) by = renderRows(ctx, g.rows, g.ownerId, b, by, cols, anchor);
  if (b.groups.length) by += 4;
  if (b.more) ctx.parts.push(`<text class="muted" x="${num(x + PAD)}" y="${num(by + ROW_H / 2)}">… ${b.more} more not shown</text>`);
  ctx.parts.push('</g>');
  ctx.anchors.set(b.id, anchor);
}

// --- reachability order

/** Heap and static ids in the order a reader meets them from the stack (depth first). */
function reachOrder(s: Snapshot): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const contents = new Map<string, Value[]>();
  for (const b of s.heap) contents.set(b.id, b.contents);
  for (const st of s.statics) contents.set(st.id, [st.value]);
  const visitValue = (v: Value, depth: number): void => {
    if (depth > 64) return;
    if (v.kind === 'pointer' && v.target && v.target.region !== 'stack') visitBlock(v.target.id, depth + 1);
    if (v.kind === 'aggregate') for (const f of v.fields) visitValue(f.value, depth + 1);
  };
  const visitBlock = (id: string, depth: number): void => {
    if (seen.has(id) || !contents.has(id)) return;
    seen.add(id);
    order.push(id);
    for (const v of contents.get(id) ?? []) visitValue(v, depth);
  };
  for (const f of [...s.frames].reverse()) for (const sl of f.slots) visitValue(sl.value, 0);
  for (const b of s.heap) visitBlock(b.id, 0);
  for (const st of s.statics) visitBlock(st.id, 0);
  return order;
}

// --- arrows

type Dir = 'right' | 'left' | 'down';

function arrowHead(x: number, y: number, dir: Dir): string {
  if (dir === 'down') return `M${num(x)},${num(y)} L${num(x - 4)},${num(y - 8)} L${num(x + 4)},${num(y - 8)} Z`;
  const d = dir === 'right' ? 1 : -1;
  return `M${num(x)},${num(y)} L${num(x - d * 8)},${num(y - 4)} L${num(x - d * 8)},${num(y + 4)} Z`;
}

/** Where an arrow ends on its target: a cell (from its lane), or a row/header on a side. */
interface End {
  y: number;
  /** Element drawn as a cell: enter by the lane, end on the cell's top. */
  cell?: { x: number; y: number; w: number };
  /** The path the arrow ends on (`data-target-path`), or undefined for the box itself. */
  path?: string;
  /** The element index it ends on, for cells and element rows. */
  index?: number;
}

/** The end of an arrow for `t` on `anchor`: the field's row, the element, else the header. */
function endOf(t: PointerTarget, anchor: Anchor): End {
  if (t.index !== undefined && anchor.cells.has(t.index) && !t.path?.includes('.')) {
    const c = anchor.cells.get(t.index)!;
    return { y: c.y, cell: c, index: t.index };
  }
  if (t.path !== undefined) {
    // The field's row, or the nearest drawn row that holds it (a collapsed learner row).
    const parts = t.path.split('.');
    for (let n = parts.length; n > 0; n--) {
      const p = parts.slice(0, n).join('.');
      const y = anchor.rows.get(p);
      if (y !== undefined) return { y, path: p };
    }
  }
  if (t.index !== undefined) {
    const y = anchor.rows.get(String(t.index));
    if (y !== undefined) return { y, path: String(t.index), index: t.index };
  }
  const own = anchor.rows.get('');
  if (own !== undefined && anchor.box.kind === 'frame') return { y: own, path: '' };
  return { y: anchor.box.y + HEADER_H / 2 };
}

interface Loop {
  src: Source;
  end: End;
  anchor: Anchor;
  top: number;
  bottom: number;
  depth: number;
}

/** Gives each loop a depth: one more than the deepest shorter loop it overlaps (so they nest). */
function nestLoops(loops: Loop[]): number {
  const sorted = [...loops].sort((a, b) => a.bottom - a.top - (b.bottom - b.top) || a.top - b.top);
  const placed: Loop[] = [];
  let max = -1;
  for (const l of sorted) {
    let d = 0;
    for (const p of placed) if (p.top <= l.bottom && l.top <= p.bottom) d = Math.max(d, p.depth + 1);
    l.depth = d;
    max = Math.max(max, d);
    placed.push(l);
  }
  return max + 1;
}

function attrsOf(src: Source, end: End | undefined, dangling: boolean): string {
  const t = src.pointer;
  return (
    `class="${dangling ? 'arrow dangling' : 'arrow'}" data-source="${escapeXml(src.ownerId)}" data-source-path="${escapeXml(src.path)}" data-target="${escapeXml(t.id)}" data-region="${escapeXml(t.region)}"` +
    (end?.path !== undefined ? ` data-target-path="${escapeXml(end.path)}"` : '') +
    (end?.index !== undefined ? ` data-index="${end.index}"` : t.index !== undefined && !end ? ` data-index="${t.index}"` : '')
  );
}

/** The last part of a path entering a target from its side edge `ex` (cells: through the lane). */
function entry(end: End): { d: string; head: string } {
  if (end.cell) {
    const cx = end.cell.x + end.cell.w / 2;
    const lane = end.cell.y - LANE_H / 2;
    return { d: ` L${num(cx)},${num(lane)} L${num(cx)},${num(end.cell.y)}`, head: arrowHead(cx, end.cell.y, 'down') };
  }
  return { d: '', head: '' };
}

/**
 * Draws every arrow. `wide`: stack and right columns side by side (`midLeft`..`midRight` is
 * the gutter between them); otherwise one column whose right edge is `colRight`.
 */
function renderArrows(ctx: Ctx, wide: boolean, stackLeft: number, stackRight: number, rightLeft: number, colRight: number): void {
  const loops: Loop[] = [];
  const left: Loop[] = [];
  const direct: { src: Source; end: End; anchor: Anchor }[] = [];
  // Drawn in the order of their sources (document order = reading order).
  const drawn = new Map<Source, string>();
  // A row that is itself a pointer: arrows into it end a little off its dot's line, on the side
  // away from where its own arrow goes (so the two do not cross).
  const emitting = new Map(ctx.sources.map((s) => [`${s.ownerId}\u0000${s.path}`, s] as const));
  const awayFrom = (s: Source): number => {
    const a = ctx.anchors.get(s.pointer.id);
    if (!a) return 5;
    const e = endOf(s.pointer, a);
    return (e.cell ? e.cell.y : e.y) < s.y ? 5 : -5;
  };
  for (const src of ctx.sources) {
    const anchor = ctx.anchors.get(src.pointer.id);
    if (!anchor) {
      // Target gone (popped frame, block no longer listed): a short stub into the gutter.
      const sx = src.x;
      const ex = src.box.x + src.box.w + 30;
      drawn.set(
        src,
        `<g ${attrsOf(src, undefined, true)}><path class="arrow-line" d="M${num(sx)},${num(src.y)} L${num(ex)},${num(src.y)}"/><path class="arrow-head" d="${arrowHead(ex, src.y, 'right')}"/><text class="dangling-label" x="${num(ex + 4)}" y="${num(src.y)}">dangling</text></g>`,
      );
      continue;
    }
    const end = endOf(src.pointer, anchor);
    const own = !end.cell && end.path !== undefined ? emitting.get(`${src.pointer.id}\u0000${end.path}`) : undefined;
    if (own && src.side === 'right') end.y += awayFrom(own);
    const crossing = wide && src.box.column !== anchor.box.column;
    if (src.side === 'left') left.push({ src, end, anchor, top: Math.min(src.y, end.y), bottom: Math.max(src.y, end.y), depth: 0 });
    else if (crossing) direct.push({ src, end, anchor });
    else {
      const ey = end.cell ? end.cell.y - LANE_H / 2 : end.y;
      loops.push({ src, end, anchor, top: Math.min(src.y, ey), bottom: Math.max(src.y, ey), depth: 0 });
    }
  }
  // Direct arrows between the columns: curves through the middle gutter.
  for (const { src, end, anchor } of direct) {
    const dangling = !!src.pointer.dangling;
    const sy = src.y;
    let d: string;
    let head: string;
    if (src.box.column === 'stack') {
      const ex = anchor.box.x;
      const ey = end.cell ? end.cell.y - LANE_H / 2 : end.y;
      const c = (ex - stackRight) / 2;
      d = `M${num(src.x)},${num(sy)} L${num(stackRight)},${num(sy)} C${num(stackRight + c)},${num(sy)} ${num(ex - c)},${num(ey)} ${num(ex)},${num(ey)}`;
      const e = entry(end);
      d += e.d;
      head = e.head || arrowHead(ex, ey, 'right');
    } else {
      // From the heap/static column back to a stack slot: out of the box's left edge.
      const ex = anchor.box.x + anchor.box.w;
      const c = (rightLeft - ex) / 2;
      d = `M${num(src.x)},${num(sy)} L${num(rightLeft)},${num(sy)} C${num(rightLeft - c)},${num(sy)} ${num(ex + c)},${num(end.y)} ${num(ex)},${num(end.y)}`;
      head = arrowHead(ex, end.y, 'left');
    }
    drawn.set(src, `<g ${attrsOf(src, end, dangling)}><path class="arrow-line" d="${d}"/><path class="arrow-head" d="${head}"/></g>`);
  }
  // Loops: out to the right of their column, nested by span.
  for (const column of ['stack', 'right'] as const) {
    const mine = loops.filter((l) => (wide ? l.src.box.column === column : column === 'right'));
    nestLoops(mine);
    const edge = wide ? (column === 'stack' ? stackRight : colRight) : colRight;
    for (const l of mine) {
      const { src, end, anchor } = l;
      const gx = edge + LOOP_START + l.depth * LOOP_STEP;
      const ex = anchor.box.x + anchor.box.w;
      const ey = end.cell ? end.cell.y - LANE_H / 2 : end.y;
      let d = `M${num(src.x)},${num(src.y)} L${num(gx)},${num(src.y)} L${num(gx)},${num(ey)} L${num(ex)},${num(ey)}`;
      const e = entry(end);
      d += e.d;
      const head = e.head || arrowHead(ex, ey, 'left');
      drawn.set(
        src,
        `<g ${attrsOf(src, end, !!src.pointer.dangling)}><path class="arrow-line" d="${d}"/><path class="arrow-head" d="${head}"/></g>`,
      );
    }
  }
  // References between stack slots: loops out of the stack column's left edge.
  nestLoops(left);
  for (const l of left) {
    const { src, end, anchor } = l;
    const gx = stackLeft - LOOP_START - l.depth * LOOP_STEP;
    const ex = anchor.box.x;
    const d = `M${num(src.x)},${num(src.y)} L${num(gx)},${num(src.y)} L${num(gx)},${num(end.y)} L${num(ex)},${num(end.y)}`;
    drawn.set(
      src,
      `<g ${attrsOf(src, end, !!src.pointer.dangling)}><path class="arrow-line" d="${d}"/><path class="arrow-head" d="${arrowHead(ex, end.y, 'right')}"/></g>`,
    );
  }
  for (const src of ctx.sources) {
    const part = drawn.get(src);
    if (part) ctx.parts.push(part);
  }
}

/** Live pointers from stack slots to stack slots (each may need a level of the left gutter). */
function countStackRefs(frames: BoxModel[]): number {
  let n = 0;
  for (const b of frames)
    for (const g of b.groups) for (const r of g.rows) if (!r.dead && r.pointer && r.pointer.region === 'stack' && !r.pointer.dangling) n++;
  return n;
}

/** Gutter width the loops of a column need (`n` nesting levels). */
function gutterFor(levels: number): number {
  return levels > 0 ? LOOP_START + (levels - 1) * LOOP_STEP + 12 : 0;
}

// --- errors on the picture

/** The code of the error the step is on, else the last one the trace passed (for "this is what E0502 prevents"). */
function passedError(s: Snapshot): SnapshotError | undefined {
  const errs = (s.errors ?? []).filter((e) => e.code);
  return errs.find((e) => e.here) ?? [...errs].filter((e) => e.step !== undefined && e.step <= s.step).sort((a, b) => b.step! - a.step!)[0];
}

/** Notes under slots: dangling pointers, and moved-from bindings the step's error is about. */
function slotNotes(s: Snapshot): Map<string, string[]> {
  const notes = new Map<string, string[]>();
  const add = (id: string, text: string) => notes.set(id, [...(notes.get(id) ?? []), text]);
  const err = passedError(s);
  const prevents = err?.code ? `: this is what ${err.code} prevents` : '';
  const dangles = (v: Value, depth: number): boolean =>
    depth < 8 &&
    ((v.kind === 'pointer' && !!v.target?.dangling) || (v.kind === 'aggregate' && v.fields.some((f) => dangles(f.value, depth + 1))));
  for (const f of s.frames) {
    for (const sl of f.slots) {
      if (sl.state !== 'init' && sl.state !== 'partially-moved') continue;
      if (dangles(sl.value, 0)) add(sl.id, `\`${sl.name}\` points into freed memory${prevents}`);
    }
  }
  for (const e of (s.errors ?? []).filter((x) => x.here && x.code)) {
    const name = /`([A-Za-z_][\w]*)`/.exec(e.message)?.[1];
    const slot = name
      ? s.frames
          .flatMap((f) => f.slots)
          .find((sl) => sl.name === name && (sl.state === 'moved' || sl.state === 'uninit' || sl.state === 'dropped'))
      : undefined;
    if (slot)
      add(
        slot.id,
        `\`${slot.name}\` ${slot.state === 'moved' ? 'was moved out' : slot.state === 'uninit' ? 'holds no value' : 'was dropped'}: using it here is what ${e.code} prevents`,
      );
  }
  return notes;
}

// --- caption

function captionLines(s: Snapshot): { text: string; cls: string }[] {
  const lines: { text: string; cls: string }[] = [{ text: s.message || s.status, cls: 'caption' }];
  const sub: string[] = [];
  if (s.steps > 0) sub.push(`step ${s.step + 1} of ${s.steps}`);
  if (s.visits > 1) sub.push(`visit ${s.visit} of ${s.visits}`);
  if (sub.length) lines.push({ text: sub.join(' · '), cls: 'caption-sub' });
  const here = (s.errors ?? []).filter((e) => e.here);
  for (const e of here.slice(0, 3)) lines.push({ text: `error${e.code ? `[${e.code}]` : ''}: ${e.message}`, cls: 'caption-error' });
  if (!here.length && s.errors?.length) {
    const e = s.errors[0];
    lines.push({
      text: `rustc rejects this program (${e.code ? `${e.code} ` : ''}at line ${e.range.start.line + 1}): this is what would happen if it ran`,
      cls: 'caption-error',
    });
  }
  if (s.stopped && s.stopped.reason !== 'end') lines.push({ text: `⚠ ${s.stopped.message}`, cls: 'notice' });
  if (s.heapNotDrawn) lines.push({ text: heapNotDrawnText(s.heapNotDrawn), cls: 'notice' });
  for (const e of s.events.slice(0, MAX_CAPTION_EVENTS)) lines.push({ text: `• ${e.text}`, cls: 'caption-sub' });
  if (s.events.length > MAX_CAPTION_EVENTS)
    lines.push({ text: `• … ${s.events.length - MAX_CAPTION_EVENTS} more events`, cls: 'caption-sub' });
  for (const u of (s.unknowns ?? []).slice(0, 3)) lines.push({ text: `? ${u}`, cls: 'caption-sub' });
  return lines;
}

// --- entry

/**
 * Draws `snapshot` as a standalone SVG document (a string starting with `<svg`).
 *
 * Never throws for a well-typed snapshot; missing targets become "dangling" stubs, long texts
 * are clipped with `…` (the full text is in the element's `<title>`), long contents are cut
 * after 64 elements and 32 fields per value with a "more not shown" line.
 * Sizes in the picture are bytes; lines in texts are 1-based.
 */
export function renderSnapshotSvg(snapshot: Snapshot, options: RenderOptions = {}): string {
  const embedStyle = options.embedStyle ?? true;
  const caption = options.caption ?? true;
  const learner = (options.detail ?? 'learner') === 'learner';
  const maxWidth = options.maxWidth ?? Infinity;
  const touched = new Set<string>();
  for (const e of snapshot.events ?? []) for (const id of e.ids ?? []) touched.add(id);

  const frames = snapshot.frames ?? [];
  const notes = slotNotes(snapshot);
  const order = reachOrder(snapshot);
  const rank = new Map(order.map((id, i) => [id, i]));
  const byRank = <T extends { id: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9));

  /** Builds and measures the picture with values clipped at `maxValue` columns. */
  const build = (maxValue: number) => {
    const cx: RowCtx = { learner, expanded: new Set(options.expanded ?? []), budget: { rows: MAX_FIELD_ROWS } };
    const frameBoxes = [...frames].reverse().map((f, i) => frameBox(f, i === 0, cx, notes));
    const heapBoxes = byRank(snapshot.heap ?? []).map((b) => heapBox(b, cx, touched));
    const staticBoxes = byRank(snapshot.statics ?? []).map((st) => staticBox(st, cx, touched));
    const stackCols: Columns = { name: 0, type: 0, size: 0, value: textWidth('no locals'), maxValue };
    const rightCols: Columns = { name: 0, type: 0, size: 0, value: 0, maxValue };
    const stackW = measureColumn(frameBoxes, stackCols, MIN_BOX_W);
    const rightW = measureColumn([...heapBoxes, ...staticBoxes], rightCols, 200);
    return { frameBoxes, heapBoxes, staticBoxes, stackCols, rightCols, stackW, rightW };
  };
  let m = build(30);
  const hasRight = m.heapBoxes.length + m.staticBoxes.length > 0;
  const wideWidth = MARGIN + m.stackW + (hasRight ? MID_GUTTER + m.rightW : 0) + 60 + MARGIN;
  const wide = wideWidth <= maxWidth;
  if (!wide) {
    // One column: shorten long values until it fits (the panel zooms out past that).
    for (const maxValue of [24, 18, 12]) {
      const colW = Math.max(m.stackW, m.rightW);
      if (MARGIN + colW + 60 + MARGIN <= maxWidth) break;
      m = build(maxValue);
    }
  }

  const ctx: Ctx = { parts: [], anchors: new Map(), sources: [], touched };
  let y = MARGIN;
  const head: string[] = [];
  let captionW = 0;
  if (caption) {
    for (const l of captionLines(snapshot)) {
      head.push(`<text class="${l.cls}" x="${MARGIN}" y="${num(y + 9)}">${escapeXml(clip(l.text, 110))}</text>`);
      captionW = Math.max(captionW, MARGIN * 2 + textWidth(clip(l.text, 110)));
      y += 18;
    }
    y += 8;
  }
  const top = y;
  const hasPicture = frames.length > 0 || hasRight;
  let bottom = y;
  let width = MARGIN * 2 + 360;
  if (hasPicture) {
    const section = (label: string, x: number, at: number) =>
      ctx.parts.push(`<text class="section" x="${num(x)}" y="${num(at + SECTION_H / 2)}">${label}</text>`);
    // References between stack slots loop on the left: room for one level per reference.
    const stackRefs = countStackRefs(m.frameBoxes);
    const stackX = MARGIN + (stackRefs ? gutterFor(stackRefs) : 0);
    const colW = wide ? m.stackW : Math.max(m.stackW, m.rightW);
    sizeBoxes(m.frameBoxes, colW);
    sizeBoxes([...m.heapBoxes, ...m.staticBoxes], wide ? m.rightW : colW);
    // Stack.
    section('STACK', stackX, top);
    let sy = top + SECTION_H;
    if (!m.frameBoxes.length) {
      ctx.parts.push(`<text class="muted" x="${num(stackX)}" y="${num(sy + ROW_H / 2)}">no frames</text>`);
      sy += ROW_H + BOX_GAP;
    }
    for (const b of m.frameBoxes) {
      b.x = stackX;
      b.y = sy;
      b.column = 'stack';
      drawBox(ctx, b, m.stackCols);
      sy += b.h + BOX_GAP;
    }
    // Heap and static memory: beside the stack (level with their first pointer) or below it.
    const rightX = wide ? stackX + m.stackW + MID_GUTTER : stackX;
    let ry = wide ? top : sy + 4;
    const firstRef = new Map<string, number>();
    for (const src of ctx.sources) if (!firstRef.has(src.pointer.id)) firstRef.set(src.pointer.id, src.y);
    const place = (boxes: BoxModel[], label: string, cols: Columns) => {
      if (!boxes.length && label === 'STATIC MEMORY') return;
      section(label, rightX, ry);
      ry += SECTION_H;
      if (!boxes.length) {
        ctx.parts.push(`<text class="muted" x="${num(rightX)}" y="${num(ry + ROW_H / 2)}">no allocations</text>`);
        ry += ROW_H + BOX_GAP;
      }
      for (const b of boxes) {
        const want = wide ? firstRef.get(b.id) : undefined;
        b.x = rightX;
        b.y = want !== undefined ? Math.max(ry, want - HEADER_H / 2) : ry;
        b.column = wide ? 'right' : 'stack';
        drawBox(ctx, b, cols);
        ry = b.y + b.h + BOX_GAP;
        // Blocks reached from this one may align with pointers drawn in it.
        for (const src of ctx.sources) if (!firstRef.has(src.pointer.id)) firstRef.set(src.pointer.id, src.y);
      }
      ry += 6;
    };
    place(m.heapBoxes, 'HEAP', m.rightCols);
    place(m.staticBoxes, 'STATIC MEMORY', m.rightCols);
    const rightRight = rightX + (wide ? m.rightW : colW);
    // Gutters: how deep the loops nest.
    const levels = (column: Column | 'all') => {
      const ls: Loop[] = [];
      for (const src of ctx.sources) {
        const a = ctx.anchors.get(src.pointer.id);
        if (!a || src.side === 'left') continue;
        if (wide && src.box.column !== a.box.column) continue;
        if (column !== 'all' && src.box.column !== column) continue;
        const e = endOf(src.pointer, a);
        const ey = e.cell ? e.cell.y - LANE_H / 2 : e.y;
        ls.push({ src, end: e, anchor: a, top: Math.min(src.y, ey), bottom: Math.max(src.y, ey), depth: 0 });
      }
      return nestLoops(ls);
    };
    const sideGutter = Math.max(
      gutterFor(levels(wide ? 'right' : 'all')),
      ctx.sources.some((s) => !ctx.anchors.has(s.pointer.id)) ? 90 : 0,
    );
    renderArrows(ctx, wide, stackX, stackX + m.stackW, rightX, rightRight);
    bottom = Math.max(sy, ry);
    width = rightRight + Math.max(sideGutter, MARGIN);
  } else if (!caption) {
    ctx.parts.push(
      `<text class="muted" x="${MARGIN}" y="${num(y + 9)}">${escapeXml(clip(snapshot.message || 'nothing to show', 110))}</text>`,
    );
    bottom = y + 18;
  }
  const height = Math.ceil(bottom + MARGIN);
  width = Math.ceil(Math.max(width, captionW));
  const title = options.title ?? snapshot.message ?? 'memory snapshot';
  const svgHead =
    `<svg xmlns="http://www.w3.org/2000/svg" class="rm-diagram${learner ? ' learner' : ' expert'}${wide ? ' wide' : ' narrow'}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" data-status="${escapeXml(snapshot.status)}" data-detail="${learner ? 'learner' : 'expert'}" data-layout="${wide ? 'wide' : 'narrow'}">` +
    `<title>${escapeXml(title)}</title>` +
    (embedStyle ? `<style>${DIAGRAM_CSS}</style>` : '') +
    `<rect class="bg" x="0" y="0" width="${width}" height="${height}"/>`;
  return svgHead + head.join('') + ctx.parts.join('') + '</svg>\n';
}
