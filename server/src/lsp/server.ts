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
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { AnalysisHost } from './analysisHost';
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
connection.onShutdown(() => host.dispose());

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

settings.register(connection, onClose);
new DiagnosticsFeature(settings).register(connection, host, onClose);
new HoverFeature(settings).register(connection, host);
new CodeActionsFeature(settings).register(connection, host);
new LifetimesFeature(settings).register(connection, host);
new InlayHintsFeature(settings).register(connection, host);
new SnapshotFeature().register(connection, host);

connection.listen();
