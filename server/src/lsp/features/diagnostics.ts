/**
 * Publishes the engine's borrow-check diagnostics for open documents.
 *
 * On open and on each change the document is scheduled (debounced `DEBOUNCE_MS` per document:
 * a newer change supersedes the pending one); when the timer fires, the analysis of the current
 * version is published with that version. An analysis whose version is no longer current when it
 * finishes is dropped. On close the diagnostics are cleared. Honours `rustMemory.diagnostics.enable`.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { DocumentStore } from '../documents';
import { type Settings, describe, forgetDocument, guardedAnalysis, toLspDiagnostic } from './common';

/** Milliseconds between the last change of a document and its analysis. */
export const DEBOUNCE_MS = 150;

export class DiagnosticsFeature {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly settings: Settings) {}

  register(connection: Connection, documents: DocumentStore): void {
    documents.onDidChangeContent((doc) => this.schedule(connection, documents, doc.uri));
    documents.onDidClose((uri) => {
      this.cancel(uri);
      forgetDocument(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    });
    this.settings.onDidChange(() => {
      for (const doc of documents.all()) this.schedule(connection, documents, doc.uri);
    });
  }

  private cancel(uri: string): void {
    const t = this.pending.get(uri);
    if (t) clearTimeout(t);
    this.pending.delete(uri);
  }

  private schedule(connection: Connection, documents: DocumentStore, uri: string): void {
    this.cancel(uri);
    this.pending.set(
      uri,
      setTimeout(() => {
        this.pending.delete(uri);
        this.publish(connection, documents, uri).catch((err) =>
          connection.console.error(`rust-memory: diagnostics for ${uri} failed: ${describe(err)}`),
        );
      }, DEBOUNCE_MS),
    );
  }

  private async publish(connection: Connection, documents: DocumentStore, uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const settings = await this.settings.get(connection, uri);
    // The settings round-trip may have let a newer version in (or a close): drop this one.
    if (documents.get(uri) !== doc || doc.version !== version || this.pending.has(uri)) return;
    let diagnostics: ReturnType<typeof toLspDiagnostic>[] = [];
    if (settings.diagnostics.enable) {
      const analysis = guardedAnalysis(connection, documents, uri);
      if (doc.version !== version) return;
      for (const f of analysis?.failures ?? []) {
        connection.console.log(`rust-memory: ${uri}: \`${f.function}\` not analysed: ${f.message}`);
      }
      diagnostics = (analysis?.diagnostics ?? []).map((d) => toLspDiagnostic(d, uri));
    }
    await connection.sendDiagnostics({ uri, version, diagnostics });
  }
}
