/**
 * `rustMemory/snapshot` (protocol.ts): the memory when execution reaches a position, from the
 * analysis worker. Never null: when the document is not open or cannot be analysed, or the
 * engine fails, the answer is a Snapshot with status `unavailable` and the reason in `message`.
 */
import type { Connection } from 'vscode-languageserver/node';
import { emptySnapshot, type Snapshot, snapshotRequest } from '../../../../shared/protocol';
import type { AnalysisHost } from '../analysisHost';
import { describe } from './common';

export class SnapshotFeature {
  register(connection: Connection, host: AnalysisHost): void {
    connection.onRequest(snapshotRequest, async (params): Promise<Snapshot> => {
      const visit = Number.isInteger(params.visit) && params.visit! >= 1 ? params.visit! : 1;
      try {
        if (!host.isOpen(params.textDocument.uri)) return emptySnapshot('unavailable', 'the document is not open', { visit });
        return await host.snapshot(params);
      } catch (err) {
        connection.console.error(`rust-memory: snapshot failed: ${describe(err)}`);
        return emptySnapshot('unavailable', `internal error: ${err instanceof Error ? err.message : String(err)}`, { visit });
      }
    });
  }
}
