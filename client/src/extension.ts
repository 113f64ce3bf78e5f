/**
 * The VS Code client: starts the bundled language server (dist/server.js) for Rust files, shows
 * its failures to the user (with a way to the log) and restarts it when it crashes, applies the
 * settings users need to keep Rust Memory quiet beside rust-analyzer, owns the memory panel and
 * draws the lifetime of the binding at the cursor (`lifetimes.ts`).
 *
 * Wiring only: the analyses live in the server, the picture in shared/render/svg.ts.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type Message,
} from 'vscode-languageclient/node';
import { MemoryPanel, exportSnapshotSvg, isRust, requestSnapshot } from './memoryPanel';
import { SnapshotTextProvider } from './textView';
import { LifetimeDecorations } from './lifetimes';
import { settingsFor } from './settings';
import { COMMANDS, MEMORY_PANEL_VIEW_TYPE, SNAPSHOT_TEXT_SCHEME } from '../../shared/commands';
import { SETTINGS_SECTION, type SeveritySetting } from '../../shared/settings';

/** How many crashes in 3 minutes the client restarts the server after (languageclient's rule). */
const MAX_RESTARTS = 5;

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

// --- messages

/** Shows an error with a "Show Log" button (and "Restart Server" when that can help). */
async function showServerError(message: string, offerRestart: boolean): Promise<void> {
  const items = offerRestart ? ['Show Log', 'Restart Server'] : ['Show Log'];
  const choice = await vscode.window.showErrorMessage(`Rust Memory: ${message}`, ...items);
  if (choice === 'Show Log') output?.show(true);
  else if (choice === 'Restart Server') await vscode.commands.executeCommand(COMMANDS.restartServer);
}

/**
 * Wraps languageclient's default handler (restart after a crash, up to MAX_RESTARTS times in
 * 3 minutes; shut down after repeated connection errors) so that every stop is shown to the
 * user with a way to the log, never a silent death.
 */
class ErrorReporter implements ErrorHandler {
  private inner: ErrorHandler | undefined;
  constructor(private readonly getClient: () => LanguageClient | undefined) {}

  private base(): ErrorHandler | undefined {
    const c = this.getClient();
    if (!this.inner && c) this.inner = c.createDefaultErrorHandler(MAX_RESTARTS);
    return this.inner;
  }

  async error(error: Error, message: Message | undefined, count: number | undefined): Promise<ErrorHandlerResult> {
    const r = (await this.base()?.error(error, message, count)) ?? { action: ErrorAction.Shutdown };
    output?.appendLine(`[client] connection error ${count ?? ''}: ${error?.message ?? String(error)}`);
    if (r.action === ErrorAction.Shutdown) {
      void showServerError(`the connection to the server failed (${error?.message ?? 'unknown error'}); the server was stopped.`, true);
      return { action: ErrorAction.Shutdown, handled: true };
    }
    return { action: r.action, handled: true };
  }

  async closed(): Promise<CloseHandlerResult> {
    const r = (await this.base()?.closed()) ?? { action: CloseAction.DoNotRestart };
    if (r.action === CloseAction.Restart) {
      output?.appendLine('[client] the server stopped unexpectedly; restarting it.');
      void vscode.window.showWarningMessage('Rust Memory: the server stopped unexpectedly and was restarted.', 'Show Log').then((c) => {
        if (c === 'Show Log') output?.show(true);
      });
      return { action: CloseAction.Restart, handled: true };
    }
    void showServerError(
      r.message ?? `the server crashed ${MAX_RESTARTS + 1} times in the last 3 minutes and will not be restarted.`,
      true,
    );
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}

// --- settings applied on the client side (they hold even if the server ignores them)

function severityOf(s: SeveritySetting): vscode.DiagnosticSeverity | undefined {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
    default:
      return undefined;
  }
}

function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: [{ language: 'rust' }],
    // The server reads `rustMemory.*` with workspace/configuration; this also sends
    // workspace/didChangeConfiguration when any of them changes.
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new ErrorReporter(() => client),
    initializationFailedHandler: (error: unknown) => {
      const msg = error instanceof Error ? error.message : String(error);
      output?.appendLine(`[client] the server failed to initialize: ${msg}`);
      void showServerError(`the server failed to start (${msg}).`, true);
      return false;
    },
    middleware: {
      handleDiagnostics(uri, diagnostics, next) {
        const cfg = settingsFor(uri);
        if (!cfg.diagnostics.enable) return next(uri, []);
        const sev = severityOf(cfg.diagnostics.severity);
        if (sev === undefined) return next(uri, diagnostics);
        return next(
          uri,
          diagnostics.map((d) => {
            const copy = new vscode.Diagnostic(d.range, d.message, sev);
            copy.code = d.code;
            copy.source = d.source;
            copy.relatedInformation = d.relatedInformation;
            copy.tags = d.tags;
            return copy;
          }),
        );
      },
      provideHover(document, position, token, next) {
        if (!settingsFor(document.uri).hover.enable) return null;
        return next(document, position, token);
      },
      // VS Code draws the lifetime as decorations (`lifetimes.ts`); the plain document
      // highlights (for other editors) would paint the same ranges again.
      provideDocumentHighlights() {
        return null;
      },
    },
  };
}

// --- activation

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Rust Memory');
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  client = new LanguageClient(SETTINGS_SECTION, 'Rust Memory', serverOptions, clientOptions());
  const textView = new SnapshotTextProvider();
  // sendRequest waits for a starting client, so Starting counts as available.
  const getClient = () => (client && (client.state === State.Running || client.state === State.Starting) ? client : undefined);

  context.subscriptions.push(
    new LifetimeDecorations(getClient),
    vscode.commands.registerCommand(COMMANDS.openMemoryPanel, () => MemoryPanel.createOrShow(context, getClient)),
    vscode.commands.registerCommand(COMMANDS.exportSvg, () => exportSnapshotSvg(getClient)),
    vscode.commands.registerCommand(COMMANDS.showLog, () => output?.show(true)),
    vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_TEXT_SCHEME, textView),
    textView,
    vscode.commands.registerCommand(COMMANDS.showMemoryAsText, async () => {
      // The memory at the active Rust editor's cursor; else what the panel shows.
      const ed = vscode.window.activeTextEditor;
      try {
        if (ed && isRust(ed.document))
          return await textView.show(await requestSnapshot(getClient, ed.document, ed.selection.active, 1, 0), ed.document.uri);
        const shown = MemoryPanel.current?.snapshot;
        if (shown) return await textView.show(shown, undefined);
        void vscode.window.showInformationMessage('Rust Memory: place the cursor in a function of a Rust file to see its memory as text.');
      } catch (e) {
        void vscode.window.showErrorMessage(
          `Rust Memory: could not get the memory at the cursor: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }),
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      if (!client) return;
      try {
        await (client.state === State.Stopped ? client.start() : client.restart());
        MemoryPanel.current?.refresh();
      } catch (e) {
        void showServerError(`the server could not be restarted (${e instanceof Error ? e.message : String(e)}).`, false);
      }
    }),
    vscode.window.registerWebviewPanelSerializer(MEMORY_PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        MemoryPanel.revive(panel, context, getClient);
      },
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.diagnostics`) && client?.diagnostics) {
        // Settings apply at the next publish; clear now so "off" takes effect at once.
        if (!settingsFor().diagnostics.enable) client.diagnostics.clear();
      }
    }),
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) MemoryPanel.current?.refresh();
    }),
  );

  try {
    await client.start();
    await logStart(context);
  } catch (e) {
    // initializationFailedHandler has shown the message when the server answered; this covers
    // a server that could not even be spawned.
    output.appendLine(`[client] could not start the server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    void showServerError(`the server could not be started (${e instanceof Error ? e.message : String(e)}).`, true);
  }
}

/**
 * One line in the "Rust Memory" output channel once the server runs: the extension's and the
 * server's versions and how many Rust files the workspace holds, so "Show Server Log" is never
 * a blank pane.
 */
async function logStart(context: vscode.ExtensionContext): Promise<void> {
  const info = client?.initializeResult?.serverInfo;
  const own = (context.extension.packageJSON as { version?: string }).version ?? '?';
  let files = 'no workspace folder';
  if (vscode.workspace.workspaceFolders?.length) {
    const found = await vscode.workspace.findFiles('**/*.rs', '**/{target,node_modules,.git}/**', 10_000);
    files = `${found.length === 10_000 ? 'at least ' : ''}${found.length} Rust file${found.length === 1 ? '' : 's'} in the workspace`;
  }
  output?.appendLine(
    `[client] Rust Memory ${own}: language server ${info?.name ?? 'rust-memory'} ${info?.version ?? '?'} running (node ${process.versions.node}); ${files}`,
  );
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c && c.state !== State.Stopped) await c.stop();
}
