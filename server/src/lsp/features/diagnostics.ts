/**
 * Publishes the engine's borrow-check diagnostics for open documents.
 *
 * The analysis worker decides when a document is analysed (a short debounce, a newer version
 * cancels the analysis in flight, a publish at least every `MAX_PUBLISH_INTERVAL_MS` while
 * typing: `worker/analysisService.ts`) and hands each result here with its version; it is sent
 * with that version, after `rustMemory.diagnostics.enable` is applied. A result older than one
 * already sent is dropped. On close the diagnostics are cleared; on a settings change the last
 * result of every document is sent again.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { AnalysisHost, PublishedDiagnostics } from '../analysisHost';
import { type Settings, describe, toLspDiagnostic } from './common';

export class DiagnosticsFeature {
  /** The last result per document, and the version last sent. */
  private readonly last = new Map<string, PublishedDiagnostics>();
  private readonly sent = new Map<string, number>();
  private readonly logged = new Map<string, string>();

  constructor(private readonly settings: Settings) {}

  register(connection: Connection, host: AnalysisHost, onClose: (listener: (uri: string) => void) => void): void {
    host.onDiagnostics((d) => {
      this.last.set(d.uri, d);
      this.publish(connection, host, d).catch((err) =>
        connection.console.error(`rust-memory: diagnostics for ${d.uri} failed: ${describe(err)}`),
      );
    });
    onClose((uri) => {
      this.last.delete(uri);
      this.sent.delete(uri);
      this.logged.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    });
    this.settings.onDidChange(() => {
      for (const d of this.last.values()) {
        this.sent.delete(d.uri);
        this.publish(connection, host, d).catch(() => undefined);
      }
    });
  }

  private async publish(connection: Connection, host: AnalysisHost, d: PublishedDiagnostics): Promise<void> {
    const key = `${d.uri}@${d.version}`;
    if (d.failures.length && this.logged.get(d.uri) !== key) {
      this.logged.set(d.uri, key);
      for (const f of d.failures) connection.console.log(`rust-memory: ${d.uri}: \`${f.function}\` not analysed: ${f.message}`);
    }
    const settings = await this.settings.get(connection, d.uri);
    // The settings round-trip may have let a newer result in (or a close): drop this one.
    if (!host.isOpen(d.uri) || this.last.get(d.uri) !== d || (this.sent.get(d.uri) ?? -Infinity) > d.version) return;
    this.sent.set(d.uri, d.version);
    const diagnostics = settings.diagnostics.enable ? d.diagnostics.map((x) => toLspDiagnostic(x, d.uri)) : [];
    await connection.sendDiagnostics({ uri: d.uri, version: d.version, diagnostics });
  }
}
