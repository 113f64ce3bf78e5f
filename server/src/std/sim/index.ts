/**
 * The simulations of the std registry's methods, by id: one line per impl table (its facts in
 * `../<family>.ts`, its simulation in `./<family>.ts`), and the builtins. `callStd` runs the
 * simulation of a call; `simulationOf` says what there is for an id (the coverage test reads it).
 */
import { CLONE_IMPL, INTO_IMPL, INTO_ITER_IMPL, PARTIAL_EQ_IMPL, TO_OWNED_IMPL, TO_STRING_IMPL } from '../any';
import { ARC_IMPL, RC_IMPL, SYNC_WEAK_IMPL, WEAK_IMPL } from '../rc';
import { ARRAY_IMPL, SLICE_IMPL, VEC_IMPL } from '../vec';
import { BOOL_IMPL, CHAR_IMPL, CMP_IMPL, FLOAT_IMPL, INT_IMPL, ORDERING_IMPL } from '../prim';
import { BOX_IMPL } from '../boxed';
import { BTREEMAP_IMPL, BTREESET_IMPL } from '../btree';
import { CELL_IMPL, REFCELL_IMPL } from '../cell';
import { ENTRY_IMPL, HASHMAP_IMPL, HASHSET_IMPL } from '../hashmap';
import { ITERATOR_IMPL, PEEKABLE_IMPL } from '../iter';
import { MEM_IMPL } from '../mem';
import { JOIN_HANDLE_IMPL, THREAD_IMPL } from '../thread';
import { MUTEX_IMPL, RWLOCK_IMPL } from '../sync';
import { OPTION_CTORS_IMPL, OPTION_IMPL, RESULT_IMPL } from '../option';
import { STD_FNS, type StdFnId } from '../registry';
import { STR_IMPL, STRING_IMPL } from '../string';
import type { StdImplDef } from '../types';
import { VECDEQUE_IMPL } from '../vecdeque';
import type { StdHost } from '../../interp/host';
import type { Val } from '../../interp/memory';
import type { NotSimulated, Sim, SimCall } from './api';
import { ASSIGN_SIMS, CLONE_SIMS, INTO_ITER_SIMS, INTO_SIMS, PARTIAL_EQ_SIMS, TO_OWNED_SIMS, TO_STRING_SIMS } from './any';
import { ARC_SIMS, RC_SIMS, SYNC_WEAK_SIMS, WEAK_SIMS } from './rc';
import { ARRAY_SIMS, SLICE_SIMS, VEC_BUILTINS, VEC_SIMS } from './vec';
import { BOOL_SIMS, CHAR_SIMS, CMP_SIMS, FLOAT_SIMS, INT_SIMS, ORDERING_SIMS } from './prim';
import { BOX_SIMS } from './boxed';
import { BTREEMAP_SIMS, BTREESET_SIMS } from './btree';
import { CELL_SIMS, REFCELL_SIMS } from './cell';
import { ENTRY_SIMS, HASHMAP_SIMS, HASHSET_SIMS } from './hashmap';
import { ITERATOR_SIMS, PEEKABLE_SIMS } from './iter';
import { MEM_SIMS } from './mem';
import { JOIN_HANDLE_SIMS, THREAD_SIMS } from './thread';
import { MUTEX_SIMS, RWLOCK_SIMS } from './sync';
import { OPTION_CTOR_SIMS, OPTION_SIMS, RESULT_SIMS } from './option';
import { STR_SIMS, STRING_SIMS } from './string';
import { VECDEQUE_SIMS } from './vecdeque';
import { FMT_SIMS } from './fmt';

type Entry = Sim | NotSimulated;

/** Each impl with its table of simulations. */
const TABLES: [StdImplDef, Readonly<Record<string, Entry>>][] = [
  [STRING_IMPL, STRING_SIMS],
  [STR_IMPL, STR_SIMS],
  [VEC_IMPL, VEC_SIMS],
  [SLICE_IMPL, SLICE_SIMS],
  [ARRAY_IMPL, ARRAY_SIMS],
  [VECDEQUE_IMPL, VECDEQUE_SIMS],
  [BOX_IMPL, BOX_SIMS],
  [RC_IMPL, RC_SIMS],
  [ARC_IMPL, ARC_SIMS],
  [WEAK_IMPL, WEAK_SIMS],
  [SYNC_WEAK_IMPL, SYNC_WEAK_SIMS],
  [REFCELL_IMPL, REFCELL_SIMS],
  [CELL_IMPL, CELL_SIMS],
  [MUTEX_IMPL, MUTEX_SIMS],
  [RWLOCK_IMPL, RWLOCK_SIMS],
  [OPTION_IMPL, OPTION_SIMS],
  [RESULT_IMPL, RESULT_SIMS],
  [OPTION_CTORS_IMPL, OPTION_CTOR_SIMS],
  [HASHMAP_IMPL, HASHMAP_SIMS],
  [ENTRY_IMPL, ENTRY_SIMS],
  [HASHSET_IMPL, HASHSET_SIMS],
  [BTREEMAP_IMPL, BTREEMAP_SIMS],
  [BTREESET_IMPL, BTREESET_SIMS],
  [ITERATOR_IMPL, ITERATOR_SIMS],
  [PEEKABLE_IMPL, PEEKABLE_SIMS],
  [INT_IMPL, INT_SIMS],
  [FLOAT_IMPL, FLOAT_SIMS],
  [CHAR_IMPL, CHAR_SIMS],
  [BOOL_IMPL, BOOL_SIMS],
  [ORDERING_IMPL, ORDERING_SIMS],
  [CMP_IMPL, CMP_SIMS],
  [MEM_IMPL, MEM_SIMS],
  [THREAD_IMPL, THREAD_SIMS],
  [JOIN_HANDLE_IMPL, JOIN_HANDLE_SIMS],
  [CLONE_IMPL, CLONE_SIMS],
  [TO_OWNED_IMPL, TO_OWNED_SIMS],
  [TO_STRING_IMPL, TO_STRING_SIMS],
  [PARTIAL_EQ_IMPL, PARTIAL_EQ_SIMS],
  [INTO_IMPL, INTO_SIMS],
  [INTO_ITER_IMPL, INTO_ITER_SIMS],
];

/** Builtins (macros, operators) by id. */
const BUILTINS: Readonly<Record<string, Entry>> = { ...FMT_SIMS, ...VEC_BUILTINS, ...ASSIGN_SIMS };

const SIMS = new Map<StdFnId, Entry>();
for (const d of STD_FNS) {
  const table = d.impl ? TABLES.find(([impl]) => impl === d.impl)?.[1] : BUILTINS;
  const e = table?.[d.name];
  if (e) SIMS.set(d.id, e);
}

/** The simulation of a registry fn, its "not simulated" reason, or undefined when it has neither (a gap the coverage test reports). */
export function simulationOf(id: StdFnId): Entry | undefined {
  return SIMS.get(id);
}

/** Runs the simulation of a std call: its value, `'diverged'`, or null when not simulated or it cannot tell. */
export function callStd(m: StdHost, c: SimCall): Val | 'diverged' | null {
  const e = SIMS.get(c.id);
  if (!e || typeof e !== 'function') return null;
  return e(m, c);
}

export type { SimCall } from './api';
