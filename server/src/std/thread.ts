/**
 * `std::thread`: `spawn` and the `JoinHandle<T>` it returns. The spawned closure must be
 * `'static` (`F: FnOnce() -> T + Send + 'static`): one that borrows a local of the caller is
 * E0373, a parameter's borrow escaping into it E0521. Threads are not simulated. Source:
 * doc.rust-lang.org/std/thread/fn.spawn.html. Simulation: `sim/thread.ts`.
 */
import type { StdFamily, StdImplDef } from './types';

export const THREAD_TYPES = [
  {
    name: 'JoinHandle',
    path: 'std::thread::JoinHandle',
    params: ['T'],
    copy: 'never',
    clone: 'never',
    needsDrop: 'always',
    layout: null,
  },
] as const;

export const THREAD_IMPL = {
  self: 'thread',
  fns: {
    spawn: "fn spawn<F: FnOnce() -> T + Send + 'static, T: Send + 'static>(f: F) -> JoinHandle<T>",
  },
} as const satisfies StdImplDef;

export const JOIN_HANDLE_IMPL = {
  self: 'JoinHandle<T>',
  fns: {
    join: 'fn join(self) -> Result<T, ?>',
  },
} as const satisfies StdImplDef;

export const THREAD = { name: 'thread', types: THREAD_TYPES, impls: [THREAD_IMPL, JOIN_HANDLE_IMPL] } as const satisfies StdFamily;
