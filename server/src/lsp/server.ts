/**
 * The Rust Memory language server. Speaks LSP over `--stdio`, `--node-ipc` or
 * `--socket=PORT` (vscode-languageserver picks the transport from the command line).
 *
 *   node dist/server.js --stdio
 *
 * Wiring only: the analysis runs in a worker thread (`analysisHost.ts`, `worker/`), so this
 * thread only speaks LSP; each feature in `features/` registers its handlers.
 */
import {
  CodeActionKind,
  createConnection,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { AnalysisHost } from './analysisHost';
import { invalidChange } from './textEdits';
import { Settings, describe } from './features/common';
import { DiagnosticsFeature } from './features/diagnostics';
import { CodeActionsFeature } from './features/codeActions';
import { HoverFeature } from './features/hover';
import { LifetimesFeature } from './features/lifetimes';
import { InlayHintsFeature } from './features/inlayHints';
import { SnapshotFeature } from './features/snapshot';

const connection = createConnection(ProposedFeatures.all);
const host = new AnalysisHost((level, message) =>
  level === 'error' ? connection.console.error(message) : connection.console.log(message),
);
const settings = new Settings();
const closeListeners: ((uri: string) => void)[] = [];
const onClose = (listener: (uri: string) => void): void => {
  closeListeners.push(listener);
};

// --- lifecycle

connection.onInitialize((params): InitializeResult => {
  settings.setCapabilities(!!params.capabilities.workspace?.configuration);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentHighlightProvider: true,
      inlayHintProvider: true,
    },
    serverInfo: { name: 'rust-memory', version: '0.1.0' },
  };
});
let shutDown = false;
connection.onShutdown(() => {
  shutDown = true;
  host.dispose();
});

/**
 * The connection the features register on: after `shutdown`, their requests are answered with
 * the error LSP specifies (InvalidRequest), not run (LSP 3.17 §shutdown).
 */
const served = new Proxy(connection, {
  get(target, prop, receiver) {
    const v = Reflect.get(target, prop, receiver) as unknown;
    if (typeof v !== 'function') return v;
    if (prop !== 'onHover' && prop !== 'onRequest') return (v as (...a: unknown[]) => unknown).bind(target);
    return (...args: unknown[]) => {
      const handler = args[args.length - 1] as (...a: unknown[]) => unknown;
      args[args.length - 1] = (...a: unknown[]) =>
        shutDown ? new ResponseError(ErrorCodes.InvalidRequest, 'the server is shut down') : handler(...a);
      return (v as (...a: unknown[]) => unknown).apply(target, args);
    };
  },
});

// --- text document sync

connection.onDidOpenTextDocument((p) => {
  try {
    host.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
  } catch (err) {
    connection.console.error(`rust-memory: didOpen ${p.textDocument.uri} failed: ${describe(err)}`);
  }
});
connection.onDidChangeTextDocument((p) => {
  try {
    const invalid = Array.isArray(p.contentChanges) ? p.contentChanges.map(invalidChange).find((r) => r) : 'no content changes';
    if (invalid) {
      // Not stored: the document keeps its last good text (the client resends it on the next full sync).
      connection.console.error(`rust-memory: didChange ${p.textDocument?.uri} refused: ${invalid}`);
      return;
    }
    host.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
  } catch (err) {
    connection.console.error(`rust-memory: didChange ${p.textDocument.uri} failed: ${describe(err)}`);
  }
});
connection.onDidCloseTextDocument((p) => {
  try {
    host.close(p.textDocument.uri);
    for (const l of closeListeners) l(p.textDocument.uri);
  } catch (err) {
    connection.console.error(`rust-memory: didClose ${p.textDocument.uri} failed: ${describe(err)}`);
  }
});

// --- features

settings.register(served, onClose);
new DiagnosticsFeature(settings).register(served, host, onClose);
new HoverFeature(settings).register(served, host);
new CodeActionsFeature(settings).register(served, host);
new LifetimesFeature(settings).register(served, host);
new InlayHintsFeature(settings).register(served, host);
new SnapshotFeature().register(served, host);

connection.listen();
