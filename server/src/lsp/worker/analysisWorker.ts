/**
 * Entry of the language server's analysis worker thread (bundled as `dist/analysisWorker.js`):
 * wires `AnalysisService` to the main thread's messages (`protocol.ts`). Started by
 * `../analysisHost.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AnalysisService } from './analysisService';
import { fullCollection } from '../gc';
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
