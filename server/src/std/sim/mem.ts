/**
 * Simulation of `drop` and `std::mem` (`../mem.ts`).
 */
import { cloneVal, intVal, unitVal, unknownVal } from '../../interp/memory';
import type { MEM_IMPL } from '../mem';
import { notSimulated, type SimTable } from './api';
import { defaultOf } from './common';

export const MEM_SIMS: SimTable<typeof MEM_IMPL> = {
  drop: (m, c) => {
    const v = c.args[0];
    if (v) {
      const name = c.argName(0);
      m.emit('drop', `dropped ${name ? `\`${name}\`` : 'the value'} (\`drop\` takes ownership)`, []);
      // The moved-out value is still in its old place: a user Drop impl gets `&mut` to it there.
      m.dropVal(v, c.argTy(0), c.argLoc(0), 0);
    }
    return unitVal();
  },
  swap: (m, c) => {
    const l0 = c.args[0]?.k === 'ptr' ? c.args[0].to : null;
    const l1 = c.args[1]?.k === 'ptr' ? c.args[1].to : null;
    if (!l0 || !l1) return unitVal();
    const a = cloneVal(m.read(l0));
    m.write(l0, cloneVal(m.read(l1)));
    m.write(l1, a);
    return unitVal();
  },
  replace: (m, c) => {
    const l0 = c.args[0]?.k === 'ptr' ? c.args[0].to : null;
    if (!l0) return unknownVal();
    const old = cloneVal(m.read(l0));
    m.write(l0, c.args[1] ?? unknownVal());
    return old;
  },
  take: (m, c) => {
    const l0 = c.args[0]?.k === 'ptr' ? c.args[0].to : null;
    if (!l0) return unknownVal();
    const old = cloneVal(m.read(l0));
    m.write(l0, defaultOf(m, c.destTy));
    return old;
  },
  forget: (m, c) => {
    m.escape(c.args.slice(0, 1));
    return unitVal();
  },
  size_of: notSimulated('its type argument (`size_of::<T>()`) is not passed to the simulation'),
  // The pointee's size: its type's layout; a slice or `str` is its length times its element's size.
  size_of_val: (m, c) => {
    const t = c.argTy(0);
    const pointee = t.kind === 'ref' ? t.inner : undefined;
    if (!pointee) return null;
    const a = c.args[0];
    if (pointee.kind === 'slice' || pointee.kind === 'str') {
      const len = a?.k === 'ptr' && typeof a.len === 'number' ? a.len : null;
      const each = pointee.kind === 'str' ? 1 : m.elemSize(pointee.elem);
      return len === null || each === null ? null : intVal(len * each, 'usize');
    }
    const n = m.elemSize(pointee);
    return n === null ? null : intVal(n, 'usize');
  },
};
