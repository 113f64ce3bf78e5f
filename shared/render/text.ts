/**
 * A snapshot as text: box-drawn tables of the frames, the heap and static memory, the events of
 * the step. The CLI's `snapshot --format text`, the client's "Show Memory as Text" document and
 * golden snapshot files all use it. A pure function of the `Snapshot`.
 */
import type { Frame, HeapBlock, Slot, Snapshot, StaticItem, Value } from '../protocol';
import { displayWidth, padEnd } from './width';

// --- tables

/** A box-drawn table with an optional title in its top border; newlines in cells become spaces. */
export function table(headers: string[], rows: string[][], title?: string): string {
  const clean = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const all = [headers, ...rows].map((r) => headers.map((_, i) => clean(r[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i]))));
  const inner = () => widths.reduce((a, w) => a + w + 3, -1);
  const t = title ? ` ${title} ` : '';
  if (displayWidth(t) > inner()) widths[widths.length - 1] += displayWidth(t) - inner();
  const line = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const row = (cells: string[]) => '│' + widths.map((w, i) => ' ' + padEnd(cells[i], w) + ' ').join('│') + '│';
  const top = title ? ['┌' + t + '─'.repeat(inner() - displayWidth(t)) + '┐', line('├', '┬', '┤')] : [line('┌', '┬', '┐')];
  return [...top, row(all[0]), line('├', '┼', '┤'), ...all.slice(1).map(row), line('└', '┴', '┘')].join('\n');
}

// --- snapshots

/** Display names for ids: slots by their binding name (`x`, or `x in foo` when ambiguous). */
type Labels = Map<string, string>;

function labelsOf(s: Snapshot): Labels {
  const labels: Labels = new Map();
  const count = new Map<string, number>();
  for (const f of s.frames) for (const slot of f.slots) count.set(slot.name, (count.get(slot.name) ?? 0) + 1);
  for (const f of s.frames) {
    for (const slot of f.slots) labels.set(slot.id, (count.get(slot.name) ?? 0) > 1 ? `${slot.name} in ${f.function}` : slot.name);
  }
  return labels;
}

/** A value in one line: scalars as written, pointers with `→ target`, aggregates field by field. */
export function valueText(v: Value, depth = 0, labels: Labels = new Map()): string {
  switch (v.kind) {
    case 'pointer': {
      if (!v.target) return v.text;
      const where = `${labels.get(v.target.id) ?? v.target.id}${v.target.index !== undefined ? `[${v.target.index}]` : ''}`;
      return `→ ${where}${v.target.dangling ? ' (dangling)' : ''}`;
    }
    case 'aggregate':
      if (depth > 3 || v.fields.length === 0) return v.text;
      return `${v.variant ? v.variant + ' ' : ''}{ ${v.fields.map((f) => `${f.name}: ${valueText(f.value, depth + 1, labels)}`).join(', ')} }`;
    default:
      return v.text;
  }
}

function slotValue(s: Slot, labels: Labels): string {
  const value = valueText(s.value, 0, labels);
  switch (s.state) {
    case 'moved':
      return `${value} (moved${s.movedTo ? ` to ${s.movedTo.to} at ${s.movedTo.line}:${s.movedTo.column}` : ''})`;
    case 'partially-moved':
      return `${value} (partially moved)`;
    case 'uninit':
      return `${value} (uninitialised)`;
    case 'dropped':
      return `${value} (dropped)`;
    default:
      return s.borrowedBy?.length ? `${value} (borrowed by ${s.borrowedBy.join(', ')})` : value;
  }
}

const size = (n: number | null | undefined) => (n === null || n === undefined ? '?' : String(n));

function frameTable(f: Frame, executing: boolean, labels: Labels): string {
  const rows = f.slots.map((s) => [(s.mutable ? 'mut ' : '') + s.name, s.type, size(s.size), slotValue(s, labels)]);
  const title = `${f.function}${executing ? ' (executing)' : ''} · ${f.id}`;
  return table(['Name', 'Type', 'Size', 'Value'], rows.length ? rows : [['', '', '', '(no slots)']], title);
}

function heapTable(blocks: HeapBlock[], labels: Labels): string {
  const rows = blocks.map((b) => {
    const contents = b.text !== undefined ? JSON.stringify(b.text) : b.contents.map((c) => valueText(c, 0, labels)).join(', ');
    const extent = `${size(b.size)} / ${size(b.capacity)}${b.len !== undefined || b.elementCapacity !== undefined ? ` (len ${size(b.len)}, cap ${size(b.elementCapacity)})` : ''}`;
    const rc = b.rc ? ` rc ${b.rc.strong}/${b.rc.weak}` : '';
    return [b.id, b.type, extent, contents + rc, b.owner ? (labels.get(b.owner) ?? b.owner) : '', b.state];
  });
  return table(['Id', 'Type', 'Size / Capacity (bytes)', 'Contents', 'Owner', 'State'], rows, 'Heap');
}

function staticTable(items: StaticItem[], labels: Labels): string {
  const rows = items.map((s) => [s.id, s.kind, s.name, s.type, size(s.size), valueText(s.value, 0, labels)]);
  return table(['Id', 'Kind', 'Name', 'Type', 'Size', 'Value'], rows, 'Static memory');
}

/**
 * A snapshot for the terminal: the status header ("after line 4 of `main`", or why not), the
 * frames newest on top, then the heap, static memory, and the events of the step.
 */
export function renderSnapshotText(s: Snapshot): string {
  const out: string[] = [];
  const labels = labelsOf(s);
  const where = s.status === 'ok' ? s.message : `${s.status}: ${s.message}`;
  out.push(where);
  if (s.status === 'ok' || s.frames.length > 0) {
    out.push(`step ${s.step + 1} of ${s.steps}, visit ${s.visit} of ${s.visits}`);
  }
  if (s.stopped) out.push(`stopped (${s.stopped.reason}): ${s.stopped.message}`);
  out.push('');
  if (s.frames.length > 0) {
    out.push('Stack (newest frame on top)');
    const frames = [...s.frames].reverse();
    frames.forEach((f, i) => out.push(frameTable(f, i === 0, labels)));
    out.push('');
  }
  if (s.heap.length > 0) out.push(heapTable(s.heap, labels), '');
  if (s.statics.length > 0) out.push(staticTable(s.statics, labels), '');
  if (s.events.length > 0) {
    out.push('Events');
    for (const e of s.events) out.push(`  ${e.kind}: ${e.text}`);
    out.push('');
  }
  if (s.unknowns?.length) {
    out.push('Unknown');
    for (const u of s.unknowns) out.push(`  ${u}`);
    out.push('');
  }
  return out.join('\n');
}
