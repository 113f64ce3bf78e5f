/**
 * Moving an analysed unit's positions by whole lines, for incremental analysis: when an item's
 * text is unchanged but lines were inserted or deleted above it, its HIR, MIR and diagnostics
 * are reused with every position's `line` moved by the same amount (its columns cannot change:
 * the unit starts at the same column, see `engine.ts`).
 *
 * Positions are LSP `{ line, character }` objects, possibly shared between several spans of the
 * same unit: each one is moved once. Types (`ty`, `selfTy`, `ret`) hold no positions and are not
 * walked. Bounded by the size of what is walked; never throws on acyclic data.
 */

/** Keys whose values never hold positions (types), skipped for speed. */
const NO_POSITIONS = new Set(['ty', 'selfTy', 'ret', 'target', 'elemTy']);

/** Adds `delta` to the `line` of every position reachable from `roots` (each position once). */
export function shiftLines(roots: readonly unknown[], delta: number): void {
  if (delta === 0) return;
  const moved = new Set<object>();
  const stack: object[] = [];
  for (const r of roots) if (r !== null && typeof r === 'object') stack.push(r);
  while (stack.length) {
    const o = stack.pop()!;
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const v: unknown = o[i];
        if (v !== null && typeof v === 'object') stack.push(v);
      }
      continue;
    }
    if (o instanceof Map) {
      for (const v of o.values()) if (v !== null && typeof v === 'object') stack.push(v as object);
      continue;
    }
    const rec = o as Record<string, unknown>;
    if (typeof rec.line === 'number' && typeof rec.character === 'number') {
      if (!moved.has(o)) {
        moved.add(o);
        rec.line += delta;
      }
      continue;
    }
    for (const k of Object.keys(rec)) {
      if (NO_POSITIONS.has(k)) continue;
      const v = rec[k];
      if (v !== null && typeof v === 'object') stack.push(v);
    }
  }
}

/** A copy of a range-bearing value with every `line` moved by `delta` (the original is untouched). */
export function shiftedCopy<T>(value: T, delta: number): T {
  if (delta === 0) return value;
  return JSON.parse(JSON.stringify(value), (k, v: unknown) => (k === 'line' && typeof v === 'number' ? v + delta : v)) as T;
}
