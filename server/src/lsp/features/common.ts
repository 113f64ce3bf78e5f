/**
 * What the LSP features share: settings and the engine → LSP conversions. No analysis here: it
 * runs in the analysis worker (`../analysisHost.ts`).
 */
import { type Connection, DiagnosticSeverity, DidChangeConfigurationNotification, type Diagnostic } from 'vscode-languageserver/node';
import { isSyntaxError, type EngineDiagnostic } from '../../base/diagnostic';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, settingsFromObject, type RustMemorySettings } from '../../../../shared/settings';
import { errorCodeHref } from '../../../../shared/protocol';

// --- settings

/**
 * Settings per document. When the client supports `workspace/configuration`, they are pulled
 * (section `rustMemory`, scoped to the document) and cached until `didChangeConfiguration`;
 * otherwise the settings pushed with `didChangeConfiguration` apply to every document.
 */
export class Settings {
  private pull = false;
  private global: RustMemorySettings = DEFAULT_SETTINGS;
  private readonly perUri = new Map<string, Promise<RustMemorySettings>>();
  private readonly changeListeners: (() => void)[] = [];

  /** Call from `onInitialize` with the client's capabilities. */
  setCapabilities(supportsConfiguration: boolean): void {
    this.pull = supportsConfiguration;
  }

  register(connection: Connection, onClose: (listener: (uri: string) => void) => void): void {
    connection.onInitialized(() => {
      if (!this.pull) return;
      connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    });
    connection.onDidChangeConfiguration((change) => {
      try {
        this.perUri.clear();
        const pushed = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
        if (!this.pull) this.global = settingsFromObject(pushed);
        for (const l of this.changeListeners) l();
      } catch (err) {
        connection.console.error(`rust-memory: didChangeConfiguration failed: ${describe(err)}`);
      }
    });
    onClose((uri) => this.perUri.delete(uri));
  }

  /** Called after the settings changed (features re-publish what depends on them). */
  onDidChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /** The settings for a document; never rejects (defaults on any failure). */
  get(connection: Connection, uri: string): Promise<RustMemorySettings> {
    if (!this.pull) return Promise.resolve(this.global);
    let s = this.perUri.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then(settingsFromObject, () => DEFAULT_SETTINGS);
      this.perUri.set(uri, s);
    }
    return s;
  }
}

// --- errors

/** An error in one line, with its stack's first frame when there is one. */
export function describe(err: unknown): string {
  if (err instanceof Error) {
    const frame = err.stack
      ?.split('\n')
      .find((l) => l.trim().startsWith('at '))
      ?.trim();
    return frame ? `${err.message} (${frame})` : err.message;
  }
  return String(err);
}

// --- conversions

/** An engine diagnostic as an LSP `Diagnostic` for the document `uri` (syntax errors: no code, as rustc). */
export function toLspDiagnostic(d: EngineDiagnostic, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: d.range,
    severity: d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
    source: 'rust-memory',
    message: d.message,
  };
  if (!isSyntaxError(d)) diagnostic.code = d.code;
  if (/^E\d{4}$/.test(d.code)) diagnostic.codeDescription = { href: errorCodeHref(d.code) };
  if (d.related.length > 0) {
    diagnostic.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  }
  return diagnostic;
}
