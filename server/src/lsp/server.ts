/**
 * The Rust Memory language server. Speaks LSP over `--stdio`, `--node-ipc` or
 * `--socket=PORT` (vscode-languageserver picks the transport from the command line).
 *
 *   node dist/server.js --stdio
 *
 * Wiring only: the document store (`documents.ts`) keeps text and trees, each feature in
 * `features/` registers its handlers, and the engine (`engine.ts`) does the analysis.
 */
import { createConnection, ProposedFeatures, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { DocumentStore } from './documents';
import { Settings, describe } from './features/common';
import { DiagnosticsFeature } from './features/diagnostics';
import { HoverFeature } from './features/hover';
import { SnapshotFeature } from './features/snapshot';

const connection = createConnection(ProposedFeatures.all);
const documents = new DocumentStore();
const settings = new Settings();

// --- lifecycle

connection.onInitialize((params): InitializeResult => {
  settings.setCapabilities(!!params.capabilities.workspace?.configuration);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
    },
    serverInfo: { name: 'rust-memory', version: '0.1.0' },
  };
});

// --- text document sync

connection.onDidOpenTextDocument((p) => {
  try {
    documents.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
  } catch (err) {
    connection.console.error(`rust-memory: didOpen ${p.textDocument.uri} failed: ${describe(err)}`);
  }
});
connection.onDidChangeTextDocument((p) => {
  try {
    documents.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
  } catch (err) {
    connection.console.error(`rust-memory: didChange ${p.textDocument.uri} failed: ${describe(err)}`);
  }
});
connection.onDidCloseTextDocument((p) => {
  try {
    documents.close(p.textDocument.uri);
  } catch (err) {
    connection.console.error(`rust-memory: didClose ${p.textDocument.uri} failed: ${describe(err)}`);
  }
});

// --- features

settings.register(connection, documents);
new DiagnosticsFeature(settings).register(connection, documents);
new HoverFeature(settings).register(connection, documents);
new SnapshotFeature().register(connection, documents);

connection.listen();
