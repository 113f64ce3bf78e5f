/**
 * Answers about a file analysed with its crate (`engine/crate.ts` `CrateView`) speak of the
 * crate's other files too (a caller's frame in main.rs while the cursor is in util.rs). Their
 * positions are at rows `k × CRATE_LINE_STRIDE` of the layout, which mean nothing to the reader,
 * and the protocol's ranges carry no file. So, after a query:
 * - optional ranges (`range`, `next`, `callSite`, `allocatedAt`, `freedAt`, a stop's `range`)
 *   in another file are dropped: the editor highlights nothing rather than a wrong line;
 * - 1-based line numbers in the engine's texts (message, events, unknowns) and `movedTo.line` become the line in their own file
 *   (`line 14 of \`main\``: the function names the file).
 * Required ranges (a slot's `declRange`, an error's `range`) are left as they are: a client
 * that shows them must check that they are inside the document.
 */
import type { Snapshot } from '../../../shared/protocol';
import { CRATE_LINE_STRIDE } from '../engine/crate';

const OPTIONAL_RANGES = new Set(['range', 'next', 'callSite', 'allocatedAt', 'freedAt']);

/** A 1-based line number of the layout as the line in its own file (1-based). */
function ownLine(n: number): number {
  return n > CRATE_LINE_STRIDE ? ((n - 1) % CRATE_LINE_STRIDE) + 1 : n;
}

/**
 * `text` (the engine's own words, never a program's value) with each `line N` and `N:M` whose N
 * is a layout line of another file made the line in that file.
 */
export function localizeText(text: string): string {
  return text
    .replace(/\bline (\d{8,})\b/g, (_, d: string) => `line ${ownLine(Number(d))}`)
    .replace(/\b(\d{8,}):(\d+)\b/g, (_, d: string, c: string) => `${ownLine(Number(d))}:${c}`);
}

function isOtherFileRange(v: unknown): boolean {
  const r = v as { start?: { line?: unknown } } | null;
  return typeof r?.start?.line === 'number' && r.start.line >= CRATE_LINE_STRIDE;
}

/** The snapshot (changed in place and returned) without positions of other files (see the module comment). */
export function localizeSnapshot(snap: Snapshot): Snapshot {
  // Optional ranges anywhere (values hold no ranges).
  const walk = (o: unknown, depth: number): void => {
    if (depth > 64 || o === null || typeof o !== 'object') return;
    if (Array.isArray(o)) {
      for (const x of o) walk(x, depth + 1);
      return;
    }
    const rec = o as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (OPTIONAL_RANGES.has(k) && isOtherFileRange(rec[k])) delete rec[k];
      else walk(rec[k], depth + 1);
    }
  };
  const top = snap as unknown as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (k === 'errors') continue; // an error's range is required
    if (OPTIONAL_RANGES.has(k) && isOtherFileRange(top[k])) delete top[k];
    else walk(top[k], 1);
  }
  // The engine's texts and the moves' lines.
  snap.message = localizeText(snap.message);
  if (snap.stopped) snap.stopped.message = localizeText(snap.stopped.message);
  if (snap.unknowns) snap.unknowns = snap.unknowns.map(localizeText);
  for (const e of snap.events) e.text = localizeText(e.text);
  for (const f of snap.frames) for (const sl of f.slots) if (sl.movedTo) sl.movedTo.line = ownLine(sl.movedTo.line);
  return snap;
}
