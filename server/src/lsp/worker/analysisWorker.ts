/**
 * Entry of the language server's analysis worker thread (bundled as `dist/analysisWorker.js`):
 * wires `AnalysisService` to the main thread's messages (`protocol.ts`). Started by
 * `../analysisHost.ts`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { AnalysisService } from './analysisService';
import { CHANGES, QUERIES, type FromWorker, type ToWorker, type WorkerData } from './protocol';

const port = parentPort;
if (port) {
  const signals = new Int32Array((workerData as WorkerData).signals);
  const service = new AnalysisService(
    (m: FromWorker) => port.postMessage(m),
    {
      changes: () => Atomics.load(signals, CHANGES),
      queries: () => Atomics.load(signals, QUERIES),
    },
    undefined,
    fullCollection(),
  );
  port.on('message', (m: ToWorker) => service.handle(m));
}

/**
 * V8's full garbage collection, for `AnalysisService` (see "Memory" there): `--expose-gc` cannot
 * be given to a worker, but the flag can be set at run time and `gc` read from a new context.
 * Undefined when that fails (the service then relies on V8's own collections).
 */
function fullCollection(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
