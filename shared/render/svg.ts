/**
 * The one renderer: a pure function from a `Snapshot` (shared/protocol.ts) to an SVG string.
 * The memory panel (webview/src/main.ts), the CLI (`rust-memory snapshot --format svg`) and the
 * tests all draw with it, so they show the same picture.
 *
 * Picture (Python Tutor / Aquascope conventions):
 *
 *   Stack (frames, newest on top) │ gutter │ Heap (blocks in allocation order)
 *                                 │ arrows │ Static memory (literals, statics)
 *
 * Arrows run only through the gutters: stack → heap/static leave a slot's right edge and end on
 * the target box's left edge; references to another stack slot loop out into the gutter and end
 * on that slot's right edge; pointers stored in heap/static boxes loop through a right gutter.
 * So no arrow crosses a box.
 *
 * Pure and deterministic: no DOM, no randomness, no clock. Text widths are estimated for a
 * monospace font (the CSS asks for one). Every text that comes from the user's program (names,
 * types, values, literals, ids) goes through `escapeXml`, so a literal such as
 * `"</svg><script>…"` is only text.
 *
 * Hooks for the webview and the tests (stable across renders of the same snapshot):
 * - `g.frame[data-id]` (protocol `Frame.id`), `g.slot[data-id]` (protocol `Slot.id`) with state
 *   classes `moved`, `partially-moved`, `dropped`, `uninit`, and `touched` when this step's events
 *   name it; field rows `g.row.field[data-path]` (`ptr`, `0.ptr`).
 * - `g.heap-block[data-id]` (classes `freed`, `leaked`), `g.static-item[data-id]`.
 * - `g.arrow[data-source][data-source-path][data-target][data-region]`, each with one
 *   `path.arrow-line` that starts at the pointer's dot and ends on the target's box edge.
 * - Every box has one `rect.box` (the outline that arrows end on).
 */
import type { Frame, HeapBlock, PointerTarget, Slot, Snapshot, StaticItem, Value } from '../protocol';
import { displayWidth } from './width';

// --- options

export interface RenderOptions {
  /**
   * Put the diagram's CSS (`DIAGRAM_CSS`) in a `<style>` element inside the SVG, for standalone
   * .svg files. Default true. The webview passes false: its CSP forbids inline `<style>`, so it
   * adopts `DIAGRAM_CSS` as a constructed stylesheet instead.
   */
  embedStyle?: boolean;
  /** Draw `snapshot.message`, the step and this step's events above the diagram. Default true. */
  caption?: boolean;
  /** Accessible title of the SVG. Default: `snapshot.message`. */
  title?: string;
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
const HEADER_H = 24;
const PAD = 8;
const INDENT = 14;
const COL_GAP = 14;
const DOT_SPACE = 18;
const BOX_GAP = 14;
const SECTION_H = 22;
const MID_GUTTER = 120;
const SIDE_GUTTER = 90;
const MARGIN = 12;
const CELL_H = 22;
const MAX_CELLS = 64;
const MAX_CELLS_PER_LINE = 16;
const MAX_FIELD_ROWS = 32;
const MAX_DEPTH = 6;
const MAX_NAME = 24;
const MAX_TYPE = 28;
const MAX_VALUE = 30;
const MAX_CAPTION_EVENTS = 6;

/** Colours are the VS Code theme's variables, with light fallbacks for standalone SVG files. */
export const DIAGRAM_CSS = `
.rm-diagram { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: ${FONT_SIZE}px; }
.rm-diagram text { fill: var(--vscode-editor-foreground, #1f2328); dominant-baseline: central; white-space: pre; }
.rm-diagram .bg { fill: var(--vscode-editor-background, #ffffff); }
.rm-diagram .caption { font-weight: bold; }
.rm-diagram .caption-sub, .rm-diagram .muted, .rm-diagram .type, .rm-diagram .size, .rm-diagram .meta { fill: var(--vscode-descriptionForeground, #59636e); }
.rm-diagram .section { font-weight: bold; fill: var(--vscode-descriptionForeground, #59636e); letter-spacing: 0.05em; }
.rm-diagram rect.box { fill: var(--vscode-editorWidget-background, #f6f8fa); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, #c5ccd3)); stroke-width: 1; }
.rm-diagram .frame.current rect.box { stroke: var(--vscode-focusBorder, #0969da); stroke-width: 1.5; }
.rm-diagram rect.header { fill: var(--vscode-editorGroupHeader-tabsBackground, #eaeef2); stroke: none; }
.rm-diagram .heap-block rect.header { fill: var(--vscode-editorGroupHeader-tabsBackground, #fff1e0); }
.rm-diagram .static-item rect.header { fill: var(--vscode-editorGroupHeader-tabsBackground, #f1ebfb); }
.rm-diagram .frame .title { font-weight: bold; fill: var(--vscode-symbolIcon-functionForeground, #8250df); }
.rm-diagram .heap-block .title { font-weight: bold; fill: var(--vscode-charts-orange, #bc4c00); }
.rm-diagram .static-item .title { font-weight: bold; fill: var(--vscode-charts-purple, #8250df); }
.rm-diagram .name { fill: var(--vscode-symbolIcon-variableForeground, var(--vscode-editor-foreground, #0550ae)); }
.rm-diagram .field .name { fill: var(--vscode-descriptionForeground, #59636e); }
.rm-diagram rect.row-bg { fill: transparent; }
.rm-diagram .slot.touched > .row.own rect.row-bg, .rm-diagram .heap-block.touched rect.header, .rm-diagram .static-item.touched rect.header { fill: var(--vscode-editor-selectionHighlightBackground, rgba(173, 214, 255, 0.55)); }
.rm-diagram .slot.moved text, .rm-diagram .slot.uninit text { fill: var(--vscode-disabledForeground, #8c959f); }
.rm-diagram .slot.moved .state, .rm-diagram .slot.uninit .state { font-style: italic; }
.rm-diagram .slot.dropped text { fill: var(--vscode-disabledForeground, #8c959f); }
.rm-diagram .slot.dropped .state, .rm-diagram .heap-block.freed .tag, .rm-diagram .dangling-label { fill: var(--vscode-errorForeground, #cf222e); font-weight: bold; }
.rm-diagram .heap-block.freed rect.box { stroke: var(--vscode-errorForeground, #cf222e); stroke-dasharray: 5 3; }
.rm-diagram .heap-block.freed .cell text, .rm-diagram .heap-block.freed .row text { fill: var(--vscode-disabledForeground, #8c959f); }
.rm-diagram .heap-block.leaked rect.box { stroke: var(--vscode-editorWarning-foreground, #9a6700); stroke-width: 1.5; }
.rm-diagram .heap-block.leaked .tag { fill: var(--vscode-editorWarning-foreground, #9a6700); font-weight: bold; }
.rm-diagram .cell rect { fill: var(--vscode-editor-background, #ffffff); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, #c5ccd3)); }
.rm-diagram .cell.spare rect { fill: none; stroke-dasharray: 2 2; }
.rm-diagram .index { font-size: 9px; fill: var(--vscode-descriptionForeground, #59636e); }
.rm-diagram .dot { fill: var(--vscode-textLink-foreground, #0969da); }
.rm-diagram .dot.dead { fill: none; stroke: var(--vscode-disabledForeground, #8c959f); }
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

function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function bytes(n: number | null | undefined): string {
  return n === null || n === undefined ? '? B' : `${n} B`;
}

// --- rows (stack slots, fields, heap elements)

/** One line of a table: a slot, one of its fields, or an element of a heap block. */
interface RowSpec {
  /** `own` for the slot/element itself, `field` for nested fields. */
  kind: 'own' | 'field';
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
}

/**
 * Appends one row per field of an aggregate (recursively, `depth` = indentation level, at most
 * MAX_DEPTH levels and `budget.rows` rows); `path` is the dotted field path (`ptr`, `0.ptr`).
 */
function flattenValue(value: Value, depth: number, path: string, dead: boolean, out: RowSpec[], budget: { rows: number }): void {
  if (value.kind === 'aggregate' && depth < MAX_DEPTH) {
    for (const f of value.fields ?? []) {
      if (budget.rows <= 0) {
        out.push({
          kind: 'field',
          depth,
          path: path ? `${path}.…` : '…',
          label: '…',
          type: '',
          size: '',
          value: 'more fields not shown',
          dead,
          title: 'more fields not shown',
        });
        return;
      }
      budget.rows--;
      const p = path ? `${path}.${f.name}` : String(f.name);
      out.push(rowForValue(f.value, String(f.name), depth, p, dead, 'field'));
      flattenValue(f.value, depth + 1, p, dead, out, budget);
    }
  }
}

function rowForValue(
  value: Value,
  label: string,
  depth: number,
  path: string,
  dead: boolean,
  kind: 'own' | 'field',
  type = '',
  size = '',
): RowSpec {
  const text = value.kind === 'uninit' ? 'uninit' : value.text;
  return {
    kind,
    depth,
    path,
    label,
    type,
    size,
    value: text,
    pointer: value.kind === 'pointer' ? value.target : undefined,
    dead,
    title: `${label}${type ? `: ${type}` : ''} = ${text}`,
  };
}

function slotRows(slot: Slot): RowSpec[] {
  const dead = slot.state === 'moved' || slot.state === 'dropped' || slot.state === 'uninit' || slot.value.kind === 'uninit';
  const size = slot.size === null ? '? B' : `${slot.size} B`;
  const own = rowForValue(slot.value, slot.name, 0, '', dead, 'own', slot.type, size);
  own.label = slot.mutable ? `mut ${slot.name}` : slot.name;
  let stateNote: string | undefined;
  if (slot.state === 'moved') stateNote = slot.movedTo ? `moved to ${slot.movedTo.to}` : 'moved';
  else if (slot.state === 'dropped') stateNote = 'dropped';
  else if (slot.state === 'uninit' || slot.value.kind === 'uninit') stateNote = 'uninit';
  else if (slot.state === 'partially-moved') stateNote = `partly moved: ${slot.value.text}`;
  own.state = stateNote;
  const where = slot.movedTo ? ` at ${slot.movedTo.line}:${slot.movedTo.column}` : '';
  own.title =
    `${slot.name}: ${slot.type} (${slot.size === null ? 'size unknown' : `${slot.size} bytes`}${slot.align !== null ? `, align ${slot.align}` : ''}) = ${slot.value.text}` +
    (slot.state === 'moved' ? ` — moved to \`${slot.movedTo?.to ?? '?'}\`${where}` : slot.state !== 'init' ? ` — ${slot.state}` : '') +
    (slot.borrowedBy && slot.borrowedBy.length ? ` — borrowed by ${slot.borrowedBy.join(', ')}` : '');
  const rows = [own];
  flattenValue(slot.value, 1, '', dead, rows, { rows: MAX_FIELD_ROWS });
  return rows;
}

/** Whether a value holds a pointer or fields (then a heap block is drawn as rows, not cells). */
function isStructured(v: Value): boolean {
  return v.kind === 'pointer' || v.kind === 'aggregate';
}

/** Column widths shared by every table in one column of the picture. */
interface Columns {
  name: number;
  type: number;
  size: number;
  value: number;
}

function measureRows(rows: RowSpec[], cols: Columns): void {
  for (const r of rows) {
    cols.name = Math.max(cols.name, r.depth * INDENT + textWidth(clip(r.label, MAX_NAME)));
    cols.type = Math.max(cols.type, textWidth(clip(r.type, MAX_TYPE)));
    cols.size = Math.max(cols.size, textWidth(r.size));
    cols.value = Math.max(cols.value, textWidth(clip(r.state ?? r.value, MAX_VALUE)));
  }
}

function tableWidth(c: Columns): number {
  return PAD + c.name + COL_GAP + (c.type ? c.type + COL_GAP : 0) + (c.size ? c.size + COL_GAP : 0) + c.value + DOT_SPACE + PAD;
}

// --- layout model

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
/** Where an arrow may end on a target: its box, and for elements the y of the element. */
interface Anchor {
  box: Box;
  column: 'stack' | 'right';
  ys?: number[];
}
interface Source {
  ownerId: string;
  path: string;
  x: number;
  y: number;
  column: 'stack' | 'right';
  pointer: PointerTarget;
}

interface Ctx {
  parts: string[];
  anchors: Map<string, Anchor>;
  sources: Source[];
  touched: Set<string>;
}

function renderRows(
  ctx: Ctx,
  rows: RowSpec[],
  ownerId: string,
  x: number,
  y: number,
  w: number,
  cols: Columns,
  column: 'stack' | 'right',
): number {
  const xName = x + PAD;
  const xType = xName + cols.name + COL_GAP;
  const xSize = xType + (cols.type ? cols.type + COL_GAP : 0);
  const xValue = xSize + (cols.size ? cols.size + COL_GAP : 0);
  for (const r of rows) {
    const cy = y + ROW_H / 2;
    const cls = r.kind === 'own' ? 'row own' : 'row field';
    ctx.parts.push(`<g class="${cls}" data-path="${escapeXml(r.path)}"><title>${escapeXml(r.title)}</title>`);
    ctx.parts.push(`<rect class="row-bg" x="${num(x + 1)}" y="${num(y)}" width="${num(w - 2)}" height="${ROW_H}"/>`);
    ctx.parts.push(`<text class="name" x="${num(xName + r.depth * INDENT)}" y="${num(cy)}">${escapeXml(clip(r.label, MAX_NAME))}</text>`);
    if (r.type) ctx.parts.push(`<text class="type" x="${num(xType)}" y="${num(cy)}">${escapeXml(clip(r.type, MAX_TYPE))}</text>`);
    if (r.size) ctx.parts.push(`<text class="size" x="${num(xSize)}" y="${num(cy)}">${escapeXml(r.size)}</text>`);
    const shown = r.state ?? r.value;
    ctx.parts.push(
      `<text class="${r.state ? 'value state' : 'value'}" x="${num(xValue)}" y="${num(cy)}">${escapeXml(clip(shown, MAX_VALUE))}</text>`,
    );
    if (r.pointer !== undefined) {
      const dx = x + w - PAD - 3;
      ctx.parts.push(`<circle class="${r.dead || !r.pointer ? 'dot dead' : 'dot'}" cx="${num(dx)}" cy="${num(cy)}" r="3.5"/>`);
      if (!r.dead && r.pointer) ctx.sources.push({ ownerId, path: r.path, x: dx, y: cy, column, pointer: r.pointer });
    }
    ctx.parts.push('</g>');
    y += ROW_H;
  }
  return y;
}

// --- stack

function stackLayout(frames: Frame[]): { cols: Columns; rows: Map<Slot, RowSpec[]>; width: number } {
  const cols: Columns = { name: 0, type: 0, size: 0, value: 0 };
  const rows = new Map<Slot, RowSpec[]>();
  let headerW = 0;
  for (const f of frames) {
    headerW = Math.max(headerW, textWidth(clip(f.function, 40)) + textWidth(frameNote(f)) + 3 * PAD);
    for (const s of f.slots) {
      const r = slotRows(s);
      rows.set(s, r);
      measureRows(r, cols);
    }
  }
  cols.value = Math.max(cols.value, textWidth('no locals'));
  return { cols, rows, width: Math.max(tableWidth(cols), headerW, 180) };
}

function frameNote(f: Frame): string {
  return f.callSite ? `called at line ${f.callSite.start.line + 1}` : '';
}

/** Draws the stack column at (x, y); returns its bottom and width. */
function renderStack(ctx: Ctx, frames: Frame[], x: number, y: number): { bottom: number; width: number } {
  const { cols, rows, width } = stackLayout(frames);
  ctx.parts.push(`<text class="section" x="${num(x)}" y="${num(y + SECTION_H / 2)}">STACK</text>`);
  y += SECTION_H;
  if (frames.length === 0) {
    ctx.parts.push(`<text class="muted" x="${num(x)}" y="${num(y + ROW_H / 2)}">no frames</text>`);
    return { bottom: y + ROW_H, width };
  }
  // Newest on top: the protocol lists frames oldest first.
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    const slotRowsOf = f.slots.map((sl) => rows.get(sl)!);
    const bodyRows = slotRowsOf.reduce((n, r) => n + r.length, 0);
    const h = HEADER_H + Math.max(bodyRows, 1) * ROW_H + 4;
    const current = i === frames.length - 1;
    ctx.parts.push(
      `<g class="${current ? 'frame current' : 'frame'}" data-id="${escapeXml(f.id)}" data-function="${escapeXml(f.function)}">`,
    );
    ctx.parts.push(`<title>${escapeXml(`frame of ${f.function}${f.callSite ? `, ${frameNote(f)}` : ''}`)}</title>`);
    ctx.parts.push(`<rect class="box" x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(h)}" rx="4"/>`);
    ctx.parts.push(`<rect class="header" x="${num(x + 1)}" y="${num(y + 1)}" width="${num(width - 2)}" height="${HEADER_H - 1}" rx="3"/>`);
    ctx.parts.push(`<text class="title" x="${num(x + PAD)}" y="${num(y + HEADER_H / 2)}">${escapeXml(clip(f.function, 40))}</text>`);
    const note = frameNote(f);
    if (note)
      ctx.parts.push(
        `<text class="muted" x="${num(x + width - PAD)}" y="${num(y + HEADER_H / 2)}" text-anchor="end">${escapeXml(note)}</text>`,
      );
    let ry = y + HEADER_H + 2;
    if (f.slots.length === 0) ctx.parts.push(`<text class="muted" x="${num(x + PAD)}" y="${num(ry + ROW_H / 2)}">no locals</text>`);
    f.slots.forEach((sl, k) => {
      const r = slotRowsOf[k];
      const classes = ['slot'];
      if (sl.state !== 'init') classes.push(sl.state);
      if (ctx.touched.has(sl.id)) classes.push('touched');
      ctx.parts.push(
        `<g class="${classes.join(' ')}" tabindex="0" data-id="${escapeXml(sl.id)}" data-name="${escapeXml(sl.name)}" data-state="${escapeXml(sl.state)}">`,
      );
      const top = ry;
      ry = renderRows(ctx, r, sl.id, x, ry, width, cols, 'stack');
      ctx.parts.push('</g>');
      // A reference to this slot ends on the slot's own row (its first line).
      ctx.anchors.set(sl.id, { box: { x, y: top, w: width, h: ROW_H }, column: 'stack' });
    });
    ctx.parts.push('</g>');
    y += h + BOX_GAP;
  }
  return { bottom: y, width };
}

// --- heap and statics (the right column)

interface RightItem {
  kind: 'heap' | 'static';
  id: string;
  classes: string[];
  title: string;
  meta: string;
  tag?: string;
  tooltip: string;
  /** Cells (scalars), or rows (pointers/aggregates), or nothing. */
  cells?: { text: string; spare: boolean }[];
  more?: number;
  rows?: { ownerId: string; rows: RowSpec[] }[];
  width: number;
  height: number;
  cellW: number;
  perLine: number;
}

function heapItem(b: HeapBlock, slotNames: Map<string, string>, touched: Set<string>): RightItem {
  const classes = ['heap-block'];
  if (b.state !== 'live') classes.push(b.state);
  if (touched.has(b.id)) classes.push('touched');
  const meta: string[] = [];
  if (b.len !== undefined && b.len !== null) meta.push(`len ${b.len}`);
  if (b.elementCapacity !== undefined && b.elementCapacity !== null) meta.push(`cap ${b.elementCapacity}`);
  if (b.size !== null || b.capacity !== null)
    meta.push(b.capacity !== null && b.capacity !== b.size ? `${bytes(b.size)} of ${bytes(b.capacity)}` : bytes(b.size));
  if (b.rc) meta.push(`strong ${b.rc.strong} · weak ${b.rc.weak}`);
  if (b.owner) meta.push(`owner ${slotNames.get(b.owner) ?? b.owner}`);
  const tag = b.state === 'freed' ? 'freed' : b.state === 'leaked' ? 'leaked' : undefined;
  const item: RightItem = {
    kind: 'heap',
    id: b.id,
    classes,
    title: b.type,
    meta: meta.join(' · '),
    tag,
    tooltip: `${b.id}: ${b.type}${b.text !== undefined ? ` ${JSON.stringify(b.text)}` : ''} — ${meta.join(', ')}${tag ? ` — ${tag}` : ''}`,
    width: 0,
    height: 0,
    cellW: 0,
    perLine: 0,
  };
  const contents = b.contents ?? [];
  if (contents.some(isStructured)) {
    const elementType = /^\[(.*)\]$/.exec(b.type)?.[1] ?? '';
    const dead = b.state === 'freed';
    const single = contents.length === 1 && !/^\[/.test(b.type);
    if (single && contents[0].kind === 'aggregate') {
      // One value (Box<Node>, RcBox<..>): its fields are the block's rows.
      const rows: RowSpec[] = [];
      flattenValue(contents[0], 0, '', dead, rows, { rows: MAX_FIELD_ROWS });
      item.rows = [{ ownerId: b.id, rows }];
    } else {
      item.rows = contents.slice(0, MAX_CELLS).map((v, i) => {
        const label = single ? 'value' : `[${i}]`;
        const own = rowForValue(v, label, 0, single ? '' : String(i), dead, 'own', single ? '' : elementType);
        const rows = [own];
        flattenValue(v, 1, own.path, dead, rows, { rows: MAX_FIELD_ROWS });
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

function staticItem(st: StaticItem, touched: Set<string>): RightItem {
  const classes = ['static-item', st.kind];
  if (touched.has(st.id)) classes.push('touched');
  const meta = `${st.kind === 'literal' ? 'literal' : 'static'} · ${st.type} · ${bytes(st.size)}`;
  const item: RightItem = {
    kind: 'static',
    id: st.id,
    classes,
    title: st.name,
    meta,
    tooltip: `${st.kind === 'literal' ? 'string literal' : `static ${st.name}`}: ${st.type}, ${st.size === null ? 'size unknown' : `${st.size} bytes`}, in static memory for the whole run`,
    width: 0,
    height: 0,
    cellW: 0,
    perLine: 0,
  };
  if (st.kind === 'static' || isStructured(st.value)) {
    const own = rowForValue(st.value, 'value', 0, '', false, 'own');
    const rows = [own];
    flattenValue(st.value, 1, '', false, rows, { rows: MAX_FIELD_ROWS });
    item.rows = [{ ownerId: st.id, rows }];
  }
  return item;
}

function measureRight(items: RightItem[], cols: Columns): number {
  for (const it of items) for (const r of it.rows ?? []) measureRows(r.rows, cols);
  const tableW = cols.value ? tableWidth(cols) : 0;
  let width = 200;
  for (const it of items) {
    width = Math.max(
      width,
      textWidth(clip(it.title, 40)) + (it.tag ? textWidth(it.tag) + PAD * 2 : 0) + 2 * PAD,
      textWidth(it.meta) + 2 * PAD,
      tableW,
    );
    if (it.cells) {
      const longest = it.cells.reduce((m, c) => Math.max(m, displayWidth(clip(c.text, 12))), 1);
      it.cellW = Math.max(22, longest * CH + 10);
    }
  }
  for (const it of items) {
    if (it.cells) {
      it.perLine = Math.max(1, Math.min(MAX_CELLS_PER_LINE, it.cells.length));
      width = Math.max(width, it.perLine * it.cellW + 2 * PAD);
    }
  }
  width = Math.min(width, Math.max(tableW, 560));
  for (const it of items) {
    it.width = width;
    let body = 0;
    if (it.cells && it.cells.length) {
      it.perLine = Math.max(1, Math.min(it.perLine, Math.floor((width - 2 * PAD) / it.cellW)));
      const lines = Math.ceil(it.cells.length / it.perLine);
      body = lines * (CELL_H + 12) + 4;
    }
    if (it.rows) body = it.rows.reduce((n, r) => n + r.rows.length, 0) * ROW_H + 4;
    if (it.more) body += ROW_H;
    it.height = HEADER_H + ROW_H + body + 4;
  }
  return width;
}

function renderRight(
  ctx: Ctx,
  x: number,
  y: number,
  width: number,
  heapItems: RightItem[],
  staticItems: RightItem[],
  cols: Columns,
): number {
  ctx.parts.push(`<text class="section" x="${num(x)}" y="${num(y + SECTION_H / 2)}">HEAP</text>`);
  y += SECTION_H;
  if (heapItems.length === 0) {
    ctx.parts.push(`<text class="muted" x="${num(x)}" y="${num(y + ROW_H / 2)}">no allocations</text>`);
    y += ROW_H + BOX_GAP;
  }
  for (const it of heapItems) y = renderItem(ctx, it, x, y, width, cols) + BOX_GAP;
  if (staticItems.length) {
    y += 6;
    ctx.parts.push(`<text class="section" x="${num(x)}" y="${num(y + SECTION_H / 2)}">STATIC MEMORY</text>`);
    y += SECTION_H;
    for (const it of staticItems) y = renderItem(ctx, it, x, y, width, cols) + BOX_GAP;
  }
  return y;
}

function renderItem(ctx: Ctx, it: RightItem, x: number, y: number, w: number, cols: Columns): number {
  const { id } = it;
  ctx.parts.push(`<g class="${it.classes.join(' ')}" tabindex="0" data-id="${escapeXml(id)}">`);
  ctx.parts.push(`<title>${escapeXml(it.tooltip)}</title>`);
  ctx.parts.push(`<rect class="box" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(it.height)}" rx="4"/>`);
  ctx.parts.push(`<rect class="header" x="${num(x + 1)}" y="${num(y + 1)}" width="${num(w - 2)}" height="${HEADER_H - 1}" rx="3"/>`);
  ctx.parts.push(`<text class="title" x="${num(x + PAD)}" y="${num(y + HEADER_H / 2)}">${escapeXml(clip(it.title, 40))}</text>`);
  if (it.tag)
    ctx.parts.push(`<text class="tag" x="${num(x + w - PAD)}" y="${num(y + HEADER_H / 2)}" text-anchor="end">${escapeXml(it.tag)}</text>`);
  ctx.parts.push(`<text class="meta" x="${num(x + PAD)}" y="${num(y + HEADER_H + ROW_H / 2)}">${escapeXml(it.meta)}</text>`);
  let by = y + HEADER_H + ROW_H;
  const ys: number[] = [];
  if (it.cells) {
    it.cells.forEach((c, i) => {
      const line = Math.floor(i / it.perLine);
      const cx = x + PAD + (i % it.perLine) * it.cellW;
      const cy = by + 2 + line * (CELL_H + 12);
      ys.push(cy + 12 + CELL_H / 2);
      ctx.parts.push(`<g class="${c.spare ? 'cell spare' : 'cell'}" data-index="${i}">`);
      ctx.parts.push(
        `<text class="index" x="${num(cx + it.cellW / 2)}" y="${num(cy + 5)}" text-anchor="middle">${c.spare ? '' : i}</text>`,
      );
      ctx.parts.push(`<rect x="${num(cx)}" y="${num(cy + 12)}" width="${num(it.cellW)}" height="${CELL_H}"/>`);
      if (c.text)
        ctx.parts.push(
          `<text x="${num(cx + it.cellW / 2)}" y="${num(cy + 12 + CELL_H / 2)}" text-anchor="middle">${escapeXml(clip(c.text, 12))}</text>`,
        );
      ctx.parts.push('</g>');
    });
    if (it.cells.length) by += Math.ceil(it.cells.length / it.perLine) * (CELL_H + 12) + 4;
  }
  if (it.rows) {
    for (const r of it.rows) {
      ys.push(by + ROW_H / 2);
      by = renderRows(ctx, r.rows, r.ownerId, x, by, w, cols, 'right');
    }
    by += 4;
  }
  if (it.more) {
    ctx.parts.push(`<text class="muted" x="${num(x + PAD)}" y="${num(by + ROW_H / 2)}">… ${it.more} more not shown</text>`);
  }
  ctx.parts.push('</g>');
  ctx.anchors.set(id, { box: { x, y, w, h: it.height }, column: 'right', ys });
  return y + it.height;
}

// --- arrows

function arrowHead(x: number, y: number, dir: 1 | -1): string {
  // Tip at (x, y), pointing right (dir 1) or left (dir -1).
  return `M${num(x)},${num(y)} L${num(x - dir * 8)},${num(y - 4)} L${num(x - dir * 8)},${num(y + 4)} Z`;
}

/** The y where an arrow for `t` ends on `anchor`: beside an element (`&v[2]`), else beside the header/row. */
function endY(t: PointerTarget, anchor: Anchor): number {
  return anchor.ys && anchor.ys.length && t.index !== undefined
    ? anchor.ys[Math.min(anchor.ys.length - 1, Math.max(0, t.index))]
    : anchor.box.y + (anchor.column === 'stack' ? ROW_H / 2 : HEADER_H / 2);
}

/**
 * How far into its gutter each looping arrow (stack → stack, heap/static → heap/static) goes:
 * shorter spans stay inside longer ones, so loops nest instead of crossing.
 */
function loopDepths(ctx: Ctx): Map<Source, number> {
  const depth = new Map<Source, number>();
  for (const column of ['stack', 'right'] as const) {
    const loops = ctx.sources
      .map((src) => ({ src, anchor: ctx.anchors.get(src.pointer.id) }))
      .filter((l) => l.anchor && !l.src.pointer.dangling && l.src.column === column && l.anchor.column === column)
      .map((l) => ({ src: l.src, span: Math.abs(endY(l.src.pointer, l.anchor!) - l.src.y) }))
      .sort((a, b) => a.span - b.span || a.src.y - b.src.y);
    loops.forEach((l, rank) => depth.set(l.src, rank));
  }
  return depth;
}

function renderArrows(ctx: Ctx, stackRight: number, rightLeft: number, rightRight: number): void {
  const midGutter = rightLeft - stackRight;
  const depth = loopDepths(ctx);
  ctx.sources.forEach((src) => {
    const t = src.pointer;
    const anchor = ctx.anchors.get(t.id);
    const dangling = !!t.dangling || !anchor;
    const attrs = `data-source="${escapeXml(src.ownerId)}" data-source-path="${escapeXml(src.path)}" data-target="${escapeXml(t.id)}" data-region="${escapeXml(t.region)}"${t.index !== undefined ? ` data-index="${t.index}"` : ''}`;
    const cls = dangling ? 'arrow dangling' : 'arrow';
    let d: string;
    let head: string;
    if (!anchor) {
      // Target gone (popped frame, block no longer listed): a short stub into the gutter.
      const sx = src.x;
      const ex = src.column === 'stack' ? stackRight + 40 : rightRight + 30;
      d = `M${num(sx)},${num(src.y)} L${num(ex)},${num(src.y)}`;
      head = arrowHead(ex, src.y, 1);
      ctx.parts.push(
        `<g class="${cls}" ${attrs}><path class="arrow-line" d="${d}"/><path class="arrow-head" d="${head}"/><text class="dangling-label" x="${num(ex + 4)}" y="${num(src.y)}">dangling</text></g>`,
      );
      return;
    }
    const ey = endY(t, anchor);
    const sy = src.y;
    if (src.column === 'stack' && anchor.column === 'right') {
      const ex = anchor.box.x;
      const c = (ex - src.x) / 2;
      d = `M${num(src.x)},${num(sy)} C${num(src.x + c)},${num(sy)} ${num(ex - c)},${num(ey)} ${num(ex)},${num(ey)}`;
      head = arrowHead(ex, ey, 1);
    } else if (src.column === 'stack' && anchor.column === 'stack') {
      // A reference to another stack slot: loop out into the middle gutter and come back.
      const ex = anchor.box.x + anchor.box.w;
      const out = Math.min(midGutter - 24, 26 + (depth.get(src) ?? 0) * 12);
      d = `M${num(src.x)},${num(sy)} C${num(ex + out)},${num(sy)} ${num(ex + out)},${num(ey)} ${num(ex)},${num(ey)}`;
      head = arrowHead(ex, ey, -1);
    } else if (src.column === 'right' && anchor.column === 'right') {
      const ex = anchor.box.x + anchor.box.w;
      const out = Math.min(SIDE_GUTTER - 14, 22 + (depth.get(src) ?? 0) * 12);
      d = `M${num(src.x)},${num(sy)} C${num(rightRight + out)},${num(sy)} ${num(rightRight + out)},${num(ey)} ${num(ex)},${num(ey)}`;
      head = arrowHead(ex, ey, -1);
    } else {
      // From the heap/static column back to a stack slot: leave through the box's left edge.
      const sx = rightLeft;
      const ex = anchor.box.x + anchor.box.w;
      const c = (sx - ex) / 2;
      d = `M${num(sx)},${num(sy)} C${num(sx - c)},${num(sy)} ${num(ex + c)},${num(ey)} ${num(ex)},${num(ey)}`;
      head = arrowHead(ex, ey, -1);
    }
    ctx.parts.push(`<g class="${cls}" ${attrs}><path class="arrow-line" d="${d}"/><path class="arrow-head" d="${head}"/></g>`);
  });
}

// --- caption

function captionLines(s: Snapshot): { text: string; cls: string }[] {
  const lines: { text: string; cls: string }[] = [{ text: s.message || s.status, cls: 'caption' }];
  const sub: string[] = [];
  if (s.steps > 0) sub.push(`step ${s.step + 1} of ${s.steps}`);
  if (s.visits > 1) sub.push(`visit ${s.visit} of ${s.visits}`);
  if (sub.length) lines.push({ text: sub.join(' · '), cls: 'caption-sub' });
  if (s.stopped && s.stopped.reason !== 'end') lines.push({ text: `⚠ ${s.stopped.message}`, cls: 'notice' });
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
 * after 64 elements and 24 fields per value with a "more not shown" line.
 * Sizes in the picture are bytes; lines in texts are 1-based.
 */
export function renderSnapshotSvg(snapshot: Snapshot, options: RenderOptions = {}): string {
  const embedStyle = options.embedStyle ?? true;
  const caption = options.caption ?? true;
  const touched = new Set<string>();
  for (const e of snapshot.events ?? []) for (const id of e.ids ?? []) touched.add(id);
  const ctx: Ctx = { parts: [], anchors: new Map(), sources: [], touched };

  const slotNames = new Map<string, string>();
  for (const f of snapshot.frames ?? []) for (const sl of f.slots) slotNames.set(sl.id, sl.name);
  const heapItems = (snapshot.heap ?? []).map((b) => heapItem(b, slotNames, touched));
  const staticItems = (snapshot.statics ?? []).map((st) => staticItem(st, touched));
  const rightCols: Columns = { name: 0, type: 0, size: 0, value: 0 };
  const rightW = measureRight([...heapItems, ...staticItems], rightCols);

  let y = MARGIN;
  if (caption) {
    for (const l of captionLines(snapshot)) {
      ctx.parts.push(`<text class="${l.cls}" x="${MARGIN}" y="${num(y + 9)}">${escapeXml(clip(l.text, 110))}</text>`);
      y += 18;
    }
    y += 8;
  }
  const top = y;
  const hasPicture = (snapshot.frames ?? []).length > 0 || heapItems.length > 0 || staticItems.length > 0;
  let bottom = y;
  let width = MARGIN * 2 + 360;
  if (hasPicture) {
    const stackX = MARGIN;
    const body: string[] = [];
    const saved = ctx.parts;
    ctx.parts = body;
    const { bottom: stackBottom, width: stackW } = renderStack(ctx, snapshot.frames ?? [], stackX, top);
    const rightX = stackX + stackW + MID_GUTTER;
    const rightBottom = renderRight(ctx, rightX, top, rightW, heapItems, staticItems, rightCols);
    const needsSide = ctx.sources.some((s) => s.column === 'right');
    renderArrows(ctx, stackX + stackW, rightX, rightX + rightW);
    ctx.parts = saved;
    ctx.parts.push(...body);
    bottom = Math.max(stackBottom, rightBottom);
    width = rightX + rightW + (needsSide ? SIDE_GUTTER : MARGIN);
  } else if (!caption) {
    ctx.parts.push(
      `<text class="muted" x="${MARGIN}" y="${num(y + 9)}">${escapeXml(clip(snapshot.message || 'nothing to show', 110))}</text>`,
    );
    bottom = y + 18;
  }
  const height = Math.ceil(bottom + MARGIN);
  width = Math.ceil(Math.max(width, ...(caption ? captionLines(snapshot).map((l) => MARGIN * 2 + textWidth(clip(l.text, 110))) : [0])));
  const title = options.title ?? snapshot.message ?? 'memory snapshot';
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" class="rm-diagram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" data-status="${escapeXml(snapshot.status)}">` +
    `<title>${escapeXml(title)}</title>` +
    (embedStyle ? `<style>${DIAGRAM_CSS}</style>` : '') +
    `<rect class="bg" x="0" y="0" width="${width}" height="${height}"/>`;
  return head + ctx.parts.join('') + '</svg>\n';
}
