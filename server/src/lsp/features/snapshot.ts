/**
 * `rustMemory/snapshot` (protocol.ts): the memory when execution reaches a position.
 * Never null: when the document is not open or cannot be analysed, or the engine fails, the
 * answer is a Snapshot with status `unavailable` and the reason in `message`.
 */
import type { Connection } from 'vscode-languageserver/node';
import { MAX_TEXT_LENGTH } from '../../engine/engine';
import { snapshotAt } from '../../ide/snapshot';
import { emptySnapshot, type Snapshot, snapshotRequest } from '../../../../shared/protocol';
import { unanalysableReason } from '../../base/text';
import type { DocumentStore } from '../documents';
import { describe, guardedAnalysis } from './common';

const unavailableSnapshot = (message: string, visit: number): Snapshot => emptySnapshot('unavailable', message, { visit });

export class SnapshotFeature {
  register(connection: Connection, documents: DocumentStore): void {
    connection.onRequest(snapshotRequest, (params): Snapshot => {
      const visit = Number.isInteger(params.visit) && params.visit! >= 1 ? params.visit! : 1;
      try {
        const uri = params.textDocument.uri;
        const doc = documents.get(uri);
        if (!doc) return unavailableSnapshot('the document is not open', visit);
        const reason = unanalysableReason(doc.text, MAX_TEXT_LENGTH);
        if (reason) return unavailableSnapshot(reason, visit);
        const analysis = guardedAnalysis(connection, documents, uri);
        if (!analysis) return unavailableSnapshot('the document could not be analysed', visit);
        const stepOffset = Number.isInteger(params.stepOffset) ? params.stepOffset! : 0;
        const step = Number.isInteger(params.step) ? params.step! : undefined;
        return snapshotAt(analysis, params.position, visit, stepOffset, { step });
      } catch (err) {
        connection.console.error(`rust-memory: snapshot failed: ${describe(err)}`);
        return unavailableSnapshot(`internal error: ${err instanceof Error ? err.message : String(err)}`, visit);
      }
    });
  }
}
