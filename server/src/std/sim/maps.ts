/**
 * Simulations shared by the maps and sets (hash tables and B-trees): `entry`, the entry
 * iterators, `retain`, `extend`. Their blocks hold `(K, V)` aggregates (maps) or values (sets).
 */
import { type Val, unitVal, unknownVal } from '../../interp/memory';
import { heapShape } from '../registry';
import type { Sim } from './api';
import { container } from './common';
import { itemsOf } from './iterate';

/** True for the set shapes (`HashSet`, `BTreeSet`). */
export function isSetKind(kind: string): boolean {
  const shape = heapShape(kind);
  return shape !== undefined && 'set' in shape && shape.set === true;
}

/** `entry(key)`: the map's `&mut` and the key, until `or_insert` & co. */
export const entrySim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  if (!r.loc || !r.own) return null;
  return { k: 'agg', fields: [{ k: 'ptr', to: r.loc, mutable: true }, c.args[1] ?? unknownVal()], names: ['map', 'key'], adt: 'Entry' };
};

/** Iterators over the entries: pairs, keys, values (`mutable` for `iter_mut` / `values_mut`); `note` is said on the run. */
export const entriesSim =
  (mode: 'pairs' | 'keys' | 'values', mutable = false, note?: string): Sim =>
  (m, c) => {
    const r = container(m, c.args[0]);
    if (!r.own) return null;
    const b = m.block(r.own.block);
    if (note) m.note(note);
    return {
      k: 'iter',
      src: { kind: 'entries', block: r.own.block, mode, ...(mutable ? { mutable: true } : {}) },
      pos: 0,
      end: b && !b.unknownContents ? b.elems.length : 0,
    };
  };

/** `retain(f)`: the closure gets `(&K, &mut V)` (maps) or `&T` (sets); the others are dropped. */
export const retainEntriesSim: Sim = (m, c) => {
  const r = container(m, c.args[0]);
  const b = m.block(r.block ?? null);
  const f = c.args[1];
  if (!r.own || !f) return null;
  if (!b) return unitVal();
  if (b.unknownContents) return null;
  const isSet = isSetKind(r.own.kind);
  const kept: Val[] = [];
  for (let i = 0; i < b.elems.length; i++) {
    const at = (path: number[], mutable: boolean): Val => ({ k: 'ptr', to: { region: 'heap', block: b.id, path }, mutable });
    const keep = isSet ? m.callValue(f, [at([i], false)]) : m.callValue(f, [at([i, 0], false), at([i, 1], true)]);
    if (keep.k !== 'bool') return null;
    if (keep.v) kept.push(b.elems[i]);
    else m.dropVal(b.elems[i], b.elemTy, null, 0);
  }
  b.elems = kept;
  return unitVal();
};

/** `extend(iter)` through the collection's own `insert` (a `(K, V)` pair per item for maps). */
export const extendWith =
  (insert: Sim): Sim =>
  (m, c) => {
    const r = container(m, c.args[0]);
    const items = itemsOf(m, c.args[1]);
    if (!r.own || items === null) return null;
    const isSet = isSetKind(r.own.kind);
    for (const it of items) {
      const pair = it.k === 'agg' ? it : undefined;
      insert(m, { ...c, args: isSet ? [c.args[0], it] : [c.args[0], pair?.fields[0] ?? unknownVal(), pair?.fields[1] ?? unknownVal()] });
    }
    return unitVal();
  };
