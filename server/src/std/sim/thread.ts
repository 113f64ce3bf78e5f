/**
 * Simulation of `std::thread` (`../thread.ts`): threads are not simulated (the spawned closure
 * runs concurrently with its caller, in an order the program does not fix).
 */
import type { JOIN_HANDLE_IMPL, THREAD_IMPL } from '../thread';
import { notSimulated, type SimTable } from './api';

export const THREAD_SIMS: SimTable<typeof THREAD_IMPL> = {
  spawn: notSimulated('threads are not simulated: the spawned closure runs in an order the program does not fix'),
};

export const JOIN_HANDLE_SIMS: SimTable<typeof JOIN_HANDLE_IMPL> = {
  join: notSimulated('threads are not simulated'),
};
