/**
 * Drives the BUILT language server (`node dist/server.js --stdio`) as an editor would, for tests.
 * Waits are promises on notifications with a timeout that fails the test; nothing sleeps.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  ExitNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  LogMessageNotification,
  ConfigurationRequest,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './fixtures';

/** The server bundle to run; `RUST_MEMORY_SERVER` may name another build. */
export const serverPath = process.env.RUST_MEMORY_SERVER ?? path.join(repoRoot(), 'dist', 'server.js');

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** When each of `published` arrived (`performance.now()`, ms). */
  readonly publishedAt: number[] = [];
  /** Log messages from the server (window/logMessage). */
  readonly logs: string[] = [];
  stderr = '';
  private waiters: { pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private versions = new Map<string, number>();
  /** What `workspace/configuration` answers for section `rustMemory` (null: defaults). */
  settings: unknown = null;

  constructor() {
    this.child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
    this.child.stderr.on('data', (d) => (this.stderr += String(d)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      this.publishedAt.push(performance.now());
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onNotification(LogMessageNotification.type, (p) => this.logs.push(p.message));
    this.connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => this.settings));
    this.connection.listen();
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
      workspaceFolders: null,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /**
   * The next publishDiagnostics for `uri` matching `pred` (published after this call), or a
   * rejection after `timeoutMs` that names what was awaited.
   */
  waitForDiagnostics(
    uri: string,
    pred: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 60_000,
  ): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no matching publishDiagnostics for ${uri} within ${timeoutMs} ms; received: ${JSON.stringify(this.published.filter((p) => p.uri === uri).slice(-3))}\nserver stderr: ${this.stderr.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        pred: (p) => p.uri === uri && pred(p),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'rust', version: 1, text },
    });
  }

  /** Sends one didChange with `changes`; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** shutdown + exit, then waits for the process to end; returns its exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  /**
   * Kills the server if a test failed before `stop`, and lets go of everything that could keep
   * this process alive: the connection and the child's pipes.
   */
  kill(): void {
    if (this.child.exitCode === null && !this.child.killed) this.child.kill();
    this.connection.dispose();
    this.child.stdin.destroy();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
  }
}
