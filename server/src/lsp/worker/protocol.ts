/**
 * Messages between the language server's main thread (`../analysisHost.ts`) and its analysis
 * worker (`analysisWorker.ts`), over `postMessage` (structured clone: plain data only).
 *
 * The main thread speaks LSP and forwards document changes and queries; the worker owns the
 * documents' trees and analyses, schedules the analyses and answers the queries. A shared
 * `Int32Array` (`WorkerData.signals`) counts, at index `CHANGES`, the document changes and, at
 * index `QUERIES`, the queries posted: the main thread adds one before posting each, so that a
 * long synchronous computation in the worker (a simulation) sees that a newer version exists, or
 * that a query waits, and stops (`RunInput.cancelled`).
 */
import type { Position, Range } from 'vscode-languageserver-protocol';
import type { EngineDiagnostic } from '../../base/diagnostic';
import type { Snapshot, SnapshotParams } from '../../../../shared/protocol';
import type { ContentChange } from '../textEdits';
import type { Lifetime } from '../../../../shared/protocol';

/** `workerData` of the analysis worker. */
export interface WorkerData {
  /** Two Int32 counters (see the module comment). */
  signals: SharedArrayBuffer;
}

/** Index of the document-change counter in `WorkerData.signals`. */
export const CHANGES = 0;
/** Index of the query counter in `WorkerData.signals`. */
export const QUERIES = 1;

export type ToWorker =
  | { kind: 'open'; uri: string; languageId: string; version: number; text: string }
  | { kind: 'change'; uri: string; version: number; changes: ContentChange[] }
  | { kind: 'close'; uri: string }
  /** `lifetimes`: add the permissions and the lifetime legend (`rustMemory.lifetimes.enable`). */
  | { kind: 'hover'; id: number; uri: string; position: Position; lifetimes?: boolean }
  | { kind: 'snapshot'; id: number; params: SnapshotParams }
  | { kind: 'quickFixes'; id: number; uri: string; range: Range }
  | { kind: 'lifetime'; id: number; uri: string; position: Position }
  | { kind: 'inlayHints'; id: number; uri: string; range: Range };

/** A quick fix as the worker answers it (`ide/quickFixes.ts` `QuickFix`): edits on one version of the document. */
export interface WorkerQuickFix {
  title: string;
  diagnostic: EngineDiagnostic;
  edits: { range: Range; newText: string }[];
  preferred: boolean;
}

/** An inlay hint as the worker answers it (`ide/inlayHints.ts` `InlayHintInfo`). */
export interface WorkerInlayHint {
  position: Position;
  label: string;
  tooltip: string;
  kind: 'layout' | 'move' | 'permissions';
}

/** A hover as the worker answers it (the LSP layer wraps it in a `Hover`). */
export interface WorkerHover {
  markdown: string;
  range: Range;
}

export type FromWorker =
  /** The diagnostics of `version` of `uri` (empty when it cannot be analysed); `failures` are logged. */
  | {
      kind: 'diagnostics';
      uri: string;
      version: number;
      diagnostics: EngineDiagnostic[];
      failures: { function: string; message: string }[];
    }
  | { kind: 'hover'; id: number; result: WorkerHover | null }
  | { kind: 'snapshot'; id: number; result: Snapshot }
  /** The quick fixes of the diagnostics in the range, from an analysis of the current version (none otherwise). */
  | { kind: 'quickFixes'; id: number; version: number | null; result: WorkerQuickFix[] }
  | { kind: 'lifetime'; id: number; result: Lifetime | null }
  | { kind: 'inlayHints'; id: number; result: WorkerInlayHint[] }
  | { kind: 'log'; level: 'log' | 'error'; message: string };
