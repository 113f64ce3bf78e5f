/**
 * Locks: `Mutex<T>` and `RwLock<T>`, futex-based on Linux (no heap block: a `u32` state, a
 * poison flag and the value, inline: `Mutex<i32>` is 12 bytes, `RwLock<i32>` 16), and their
 * guards. `lock()` / `read()` / `write()` take `&self`: for the borrow checker the guard holds a
 * shared borrow of the lock (`MutexGuard<'_, T>`), exclusivity is the lock's business at run
 * time. Representations from library/std/src/sync/poison/{mutex,rwlock}.rs and
 * sys/sync/{mutex,rwlock}/futex.rs (atomics are `UnsafeCell`s of their integer: no niche).
 * Simulation: `sim/sync.ts`.
 */
import type { StdFamily, StdImplDef, StdTypeDef } from './types';

const guard = (name: string, def: string, mutable: boolean): StdTypeDef => ({
  name,
  path: `std::sync::${name}`,
  params: ['T'],
  lifetimes: ["'a"],
  dropUsesBorrow: true,
  copy: 'never',
  clone: 'never',
  needsDrop: 'always',
  display: 'if-args',
  deref: { target: 'T', ...(mutable ? { mutable: true } : {}) },
  def,
  layout: 'def',
});

export const SYNC_TYPES = [
  {
    name: 'Mutex',
    path: 'std::sync::Mutex',
    params: ['T'],
    copy: 'never',
    clone: 'never',
    needsDrop: 'if-args',
    default: 'if-args',
    def: 'struct Mutex<T> { inner: UnsafeCell<u32>, poison: UnsafeCell<u8>, data: UnsafeCell<T> }',
    layout: 'def',
  },
  {
    name: 'RwLock',
    path: 'std::sync::RwLock',
    params: ['T'],
    copy: 'never',
    clone: 'never',
    needsDrop: 'if-args',
    default: 'if-args',
    def: 'struct RwLock<T> { inner: FutexRwLock, poison: UnsafeCell<u8>, data: UnsafeCell<T> }',
    layout: 'def',
  },
  {
    name: 'FutexRwLock',
    path: 'std::sys::sync::rwlock::futex::RwLock',
    params: [],
    internal: true,
    copy: 'never',
    clone: 'never',
    needsDrop: 'never',
    def: 'struct FutexRwLock { state: UnsafeCell<u32>, writer_notify: UnsafeCell<u32> }',
    layout: 'def',
  },
  guard('MutexGuard', "struct MutexGuard<'a, T> { lock: &'a Mutex<T>, poison: bool }", true),
  guard('RwLockReadGuard', "struct RwLockReadGuard<'a, T> { data: NonNull<T>, inner_lock: &'a FutexRwLock }", false),
  guard('RwLockWriteGuard', "struct RwLockWriteGuard<'a, T> { lock: &'a RwLock<T>, poison: bool }", true),
  {
    name: 'PoisonError',
    path: 'std::sync::PoisonError',
    params: ['T'],
    copy: 'never',
    clone: 'never',
    needsDrop: 'if-args',
    def: 'struct PoisonError<T> { data: T }',
    layout: 'def',
  },
] as const satisfies readonly StdTypeDef[];

export const MUTEX_IMPL = {
  self: 'Mutex<T>',
  fns: {
    new: 'fn new(t: T) -> Mutex<T>',
    lock: "fn lock(&self) -> Result<MutexGuard<'_, T>, PoisonError<MutexGuard<'_, T>>>",
    try_lock: "fn try_lock(&self) -> Result<MutexGuard<'_, T>, ?>",
    is_poisoned: 'fn is_poisoned(&self) -> bool',
    into_inner: 'fn into_inner(self) -> Result<T, PoisonError<T>>',
    get_mut: 'fn get_mut(&mut self) -> Result<&mut T, PoisonError<&mut T>>',
  },
} as const satisfies StdImplDef;

export const RWLOCK_IMPL = {
  self: 'RwLock<T>',
  fns: {
    new: 'fn new(t: T) -> RwLock<T>',
    read: "fn read(&self) -> Result<RwLockReadGuard<'_, T>, PoisonError<RwLockReadGuard<'_, T>>>",
    write: "fn write(&self) -> Result<RwLockWriteGuard<'_, T>, PoisonError<RwLockWriteGuard<'_, T>>>",
    try_read: "fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, ?>",
    try_write: "fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, ?>",
    is_poisoned: 'fn is_poisoned(&self) -> bool',
    into_inner: 'fn into_inner(self) -> Result<T, PoisonError<T>>',
    get_mut: 'fn get_mut(&mut self) -> Result<&mut T, PoisonError<&mut T>>',
  },
} as const satisfies StdImplDef;

export const SYNC = { name: 'sync', types: SYNC_TYPES, impls: [MUTEX_IMPL, RWLOCK_IMPL] } as const satisfies StdFamily;
