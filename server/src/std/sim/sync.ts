/**
 * Simulation of `Mutex<T>` and `RwLock<T>` (`../sync.ts`): the lock is an aggregate holding its
 * data inline (no heap block: futex locks); `lock()` / `read()` / `write()` return `Ok(guard)`,
 * the guard modelled as a reference to the data (dropping it unlocks, which changes nothing the
 * panel shows). The lock state is not tracked: a second `lock()` while a guard lives (a deadlock
 * in a real program) is not detected, and no lock is ever poisoned.
 */
import type { MUTEX_IMPL, RWLOCK_IMPL } from '../sync';
import { type Sim, type SimTable } from './api';
import { guardSim, intoInnerSim, newCell } from './cell';
import { bool } from './common';

const notPoisoned: Sim = () => bool(false);

export const MUTEX_SIMS: SimTable<typeof MUTEX_IMPL> = {
  new: newCell('Mutex'),
  lock: guardSim('Mutex', true, 'ok'),
  try_lock: guardSim('Mutex', true, 'ok'),
  is_poisoned: notPoisoned,
  into_inner: intoInnerSim('ok'),
  get_mut: guardSim('Mutex', true, 'ok'),
};

export const RWLOCK_SIMS: SimTable<typeof RWLOCK_IMPL> = {
  new: newCell('RwLock'),
  read: guardSim('RwLock', false, 'ok'),
  write: guardSim('RwLock', true, 'ok'),
  try_read: guardSim('RwLock', false, 'ok'),
  try_write: guardSim('RwLock', true, 'ok'),
  is_poisoned: notPoisoned,
  into_inner: intoInnerSim('ok'),
  get_mut: guardSim('RwLock', true, 'ok'),
};
