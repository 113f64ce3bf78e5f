/**
 * V8's full garbage collection for the language server's threads (the analysis worker's
 * `AnalysisService` and the main thread's `AnalysisHost`): `--expose-gc` cannot be given to a
 * worker, nor to a server an editor starts with its own command line, but the flag can be set at
 * run time and `gc` read from a new context. (Not `--compact-on-every-full-gc` with it: set at
 * run time, it made the worker hang in a collection after a few hundred rapid edits.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The full collection, or undefined when it cannot be had (V8 then collects on its own schedule). */
export function fullCollection(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
