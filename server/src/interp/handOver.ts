/**
 * Which temporaries of a MIR body the machine may hand over when they move: a `move _t` of a
 * whole temporary gives the destination the temporary's value itself, not a copy (a value a
 * hundred levels deep, `Some(Some(…))`, is not copied once per level), and the slot forgets it.
 *
 * That is only sound for a temporary nothing reads or writes again after the move. rustc's MIR
 * never uses a temporary after moving it, but the builder does: a match arm with a guard moves
 * its by-value bindings out of the scrutinee before the guard runs, and when the guard fails the
 * next arm moves them again (`match make() { x if cond(&x) => .., y => .. }`: `_3 = move _2`,
 * then `_8 = move _2`, `mir/build.ts`). So a temporary is handed over only when its one move is
 * the only place the body names it, besides whole assignments to it (which replace its value:
 * a loop moving the temporary each time assigns it anew first), its `StorageLive`/`StorageDead`
 * and whole drops (a moved temporary is not dropped). Found once per body (a body never changes once
 * built).
 */
import type { Body, Operand, Place } from '../mir/mir';
import { rvalueOperands, rvaluePlace, terminatorOperands } from '../mir/visit';

const HAND_OVER = new WeakMap<Body, ReadonlySet<number>>();

/** The temporaries of `body` whose value a `move` of the whole may hand over (local ids). */
export function handOverTemps(body: Body): ReadonlySet<number> {
  let out = HAND_OVER.get(body);
  if (out) return out;
  // Per local: how many times the body names it (other than as a whole assignment's destination).
  const named = new Map<number, number>();
  const wholeMoves = new Set<number>();
  const name = (local: number | null): void => {
    if (local !== null) named.set(local, (named.get(local) ?? 0) + 1);
  };
  const place = (p: Place): void => {
    name(p.local);
    for (const e of p.projection) if (e.kind === 'index') name(e.local);
  };
  const dest = (p: Place): void => {
    if (p.projection.length) place(p);
  };
  const operand = (o: Operand): void => {
    if (o.kind === 'constant') return;
    place(o.place);
    if (o.kind === 'move' && o.place.projection.length === 0) wholeMoves.add(o.place.local);
  };
  for (const bb of body.blocks) {
    for (const st of bb.statements) {
      switch (st.kind) {
        case 'assign': {
          dest(st.place);
          rvalueOperands(st.rvalue).forEach(operand);
          const p = rvaluePlace(st.rvalue);
          if (p) place(p);
          break;
        }
        case 'setDiscriminant':
        case 'fakeRead':
        case 'placeMention':
          place(st.place);
          break;
        case 'storageLive':
        case 'storageDead':
        case 'nop':
          break;
      }
    }
    const t = bb.terminator;
    terminatorOperands(t).forEach(operand);
    if (t.kind === 'call') {
      dest(t.dest);
      if (t.func.kind === 'local') name(t.func.local);
    }
    // A drop of a part reads the temporary's value; a whole drop checks it is still initialised.
    if (t.kind === 'drop') dest(t.place);
  }
  out = new Set([...wholeMoves].filter((l) => body.locals[l]?.kind === 'temp' && named.get(l) === 1));
  HAND_OVER.set(body, out);
  return out;
}
