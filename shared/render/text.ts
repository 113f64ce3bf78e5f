/**
 * A snapshot as text: box-drawn tables of the frames, the heap and static memory, the output
 * so far, the step's errors and events. The CLI's `snapshot --format text`, the client's "Show
 * Memory as Text" document and golden snapshot files all use it. A pure function of the
 * `Snapshot`. Names are Rust's, as in the picture (blocks by their owner place, pointers by the
 * place they point at); the ids are in the JSON.
 */
import type { Frame, HeapBlock, Slot, Snapshot, StaticItem, Value } from '../protocol';
import { blockTitle, heapNotDrawnText, movedText } from './names';
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

/** A value in one line: scalars as written, pointers by the place they point at, aggregates field by field. */
export function valueText(v: Value, depth = 0): string {
  switch (v.kind) {
    case 'pointer':
      return v.target?.dangling ? `${v.text} (dangling)` : v.text;
    case 'aggregate': {
      if (depth > 3 || v.fields.length === 0) return v.text;
      const fields = `{ ${v.fields.map((f) => `${f.name}: ${valueText(f.value, depth + 1)}`).join(', ')} }`;
      // A String, Vec or &str: its contents, then its ptr/len/cap.
      if (v.fields[0].name === 'ptr') return `${v.text} ${fields}`;
      return `${v.variant ? v.variant + ' ' : ''}${fields}`;
    }
    default:
      return v.text;
  }
}

function slotValue(s: Slot): string {
  const value = valueText(s.value, 0);
  switch (s.state) {
    case 'moved':
      return `${value} (${movedText(s.movedTo?.to)}${s.movedTo ? ` at ${s.movedTo.line}:${s.movedTo.column}` : ''})`;
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

function frameTable(f: Frame, executing: boolean): string {
  const rows = f.slots.map((s) => [(s.mutable ? 'mut ' : '') + s.name, s.type, size(s.size), slotValue(s)]);
  const title = `${f.function}${executing ? ' (executing)' : ''}`;
  return table(['Name', 'Type', 'Size', 'Value'], rows.length ? rows : [['', '', '', '(no slots)']], title);
}

function heapTable(blocks: HeapBlock[]): string {
  const rows = blocks.map((b) => {
    const contents = b.text !== undefined ? JSON.stringify(b.text) : b.contents.map((c) => valueText(c, 0)).join(', ');
    const extent = `${size(b.size)} / ${size(b.capacity)}${b.len !== undefined || b.elementCapacity !== undefined ? ` (len ${size(b.len)}, cap ${size(b.elementCapacity)})` : ''}`;
    const rc = b.rc ? ` rc ${b.rc.strong}/${b.rc.weak}` : '';
    return [blockTitle(b), extent, contents + rc, b.state];
  });
  return table(['Block', 'Size / Capacity (bytes)', 'Contents', 'State'], rows, 'Heap');
}

function staticTable(items: StaticItem[]): string {
  const rows = items.map((s) => [s.kind, s.name, s.type, size(s.size), valueText(s.value, 0)]);
  return table(['Kind', 'Name', 'Type', 'Size', 'Value'], rows, 'Static memory');
}

/**
 * A snapshot for the terminal: the status header ("after line 4 of `main`", or why not), the
 * frames newest on top, then the heap, static memory, and the events of the step.
 */
export function renderSnapshotText(s: Snapshot): string {
  const out: string[] = [];
  const where = s.status === 'ok' ? s.message : `${s.status}: ${s.message}`;
  out.push(where);
  if (s.status === 'ok' || s.frames.length > 0) {
    out.push(`step ${s.step + 1} of ${s.steps}${s.visits > 1 ? `, visit ${s.visit} of ${s.visits}` : ''}`);
  }
  if (s.stopped) out.push(`stopped (${s.stopped.reason}): ${s.stopped.message}`);
  for (const e of (s.errors ?? []).filter((x) => x.here)) out.push(`error${e.code ? `[${e.code}]` : ''}: ${e.message}`);
  if (s.errors?.length && !s.errors.some((x) => x.here))
    out.push(
      `rustc rejects this program (${s.errors[0].code ? `${s.errors[0].code} ` : ''}at line ${s.errors[0].range.start.line + 1}): this is what would happen if it ran`,
    );
  out.push('');
  if (s.frames.length > 0) {
    out.push('Stack (newest frame on top)');
    const frames = [...s.frames].reverse();
    frames.forEach((f, i) => out.push(frameTable(f, i === 0)));
    out.push('');
  }
  if (s.heap.length > 0) out.push(heapTable(s.heap), '');
  if (s.heapNotDrawn) out.push(heapNotDrawnText(s.heapNotDrawn), '');
  if (s.statics.length > 0) out.push(staticTable(s.statics), '');
  if (s.output?.length) {
    out.push('Output');
    for (const c of s.output)
      for (const l of c.text.replace(/\n$/, '').split('\n'))
        out.push(
          `  ${c.stream === 'panic' ? '! ' : ''}${l}${c.notReal ? '   (not a real run)' : c.unknown ? '   (unsure: after a guess or with `?`)' : ''}`,
        );
    out.push('');
  }
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
