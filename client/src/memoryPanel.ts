/**
 * The memory panel: a webview beside the editor that shows the snapshot at the cursor
 * (`rustMemory/snapshot`), following the cursor and edits (debounced; the previous request is
 * cancelled), with step (slider) and visit controls and click-to-reveal. While it shows a
 * picture, the editor marks the line just executed and the next one (gutter arrows, as Python
 * Tutor does); the Learner/Expert toggle is the `rustMemory.panel.detail` setting.
 *
 * Survives a window reload through a `WebviewPanelSerializer` (extension.ts) and the webview's
 * saved state, not `retainContextWhenHidden`. The page and its CSP come from `panelHtml.ts`;
 * `localResourceRoots` is limited to the bundle (dist/).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { emptySnapshot, snapshotRequest, type Snapshot, type SnapshotParams } from '../../shared/protocol';
import type { FromWebview, ToWebview } from '../../shared/panelMessages';
import { renderSnapshotSvg } from '../../shared/render/svg';
import { makeNonce, panelHtml } from './panelHtml';
import { settingsFor } from './settings';
import { COLORS, MEMORY_PANEL_VIEW_TYPE } from '../../shared/commands';
import { SETTINGS_SECTION, type DetailSetting } from '../../shared/settings';

/** Wait after the last cursor move or keystroke before asking the server (ms). */
const DEBOUNCE_MS = 120;

export type GetClient = () => LanguageClient | undefined;

export function isRust(doc: vscode.TextDocument | undefined): boolean {
  return !!doc && doc.languageId === 'rust';
}

/** Asks the server for the snapshot at a position; an explaining snapshot when it cannot. */
export async function requestSnapshot(
  getClient: GetClient,
  doc: vscode.TextDocument,
  pos: vscode.Position,
  visit: number,
  stepOffset: number,
  token?: vscode.CancellationToken,
  step?: number,
): Promise<Snapshot> {
  const client = getClient();
  if (!client) return emptySnapshot('unavailable', 'The Rust Memory server is not running. Run "Rust Memory: Show Server Log" to see why.');
  const params: SnapshotParams = {
    ...client.code2ProtocolConverter.asTextDocumentPositionParams(doc, pos),
    visit,
    stepOffset,
  };
  if (step !== undefined) params.step = step;
  return client.sendRequest(snapshotRequest, params, token);
}

/**
 * The decorations of stepping: the line just executed (green arrow) and the next one (red
 * arrow), each with a light background in the theme's colours (`COLORS`).
 */
function stepDecorations(extensionUri: vscode.Uri): { executed: vscode.TextEditorDecorationType; next: vscode.TextEditorDecorationType } {
  const make = (icon: string, color: string) =>
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor(color),
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', icon),
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor(color),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
  return { executed: make('step-executed.svg', COLORS.executedLine), next: make('step-next.svg', COLORS.nextLine) };
}

export class MemoryPanel {
  static readonly viewType = MEMORY_PANEL_VIEW_TYPE;
  static current: MemoryPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  /** The Rust document and cursor the picture is about (the last Rust editor the user was in). */
  private target: { uri: vscode.Uri; position: vscode.Position } | undefined;
  private visit = 1;
  private stepOffset = 0;
  /** A step chosen in the panel (slider, first/previous/next/last); cleared when the cursor moves. */
  private step: number | undefined;
  private last: Snapshot | undefined;
  /** The view shown in the panel, for the SVG export (`exportSvg` messages carry it). */
  private view: { detail: DetailSetting; expanded: string[] } = { detail: settingsFor().panel.detail, expanded: [] };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: vscode.CancellationTokenSource | undefined;
  /** Code revealed by a click in the panel: a theme colour meant for it, and a border (visible in every theme). */
  private readonly highlight = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor(COLORS.revealedBackground),
    border: '1px solid',
    borderColor: new vscode.ThemeColor(COLORS.revealedBorder),
    borderRadius: '2px',
    isWholeLine: false,
  });
  private readonly steps: { executed: vscode.TextEditorDecorationType; next: vscode.TextEditorDecorationType };

  /** Opens the panel beside the editor (or reveals it) and draws the memory at the cursor. */
  static createOrShow(context: vscode.ExtensionContext, getClient: GetClient): void {
    if (MemoryPanel.current) {
      MemoryPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      MemoryPanel.current.trackActiveEditor(true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      MemoryPanel.viewType,
      'Rust Memory',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      MemoryPanel.webviewOptions(context.extensionUri),
    );
    MemoryPanel.current = new MemoryPanel(panel, context, getClient);
  }

  /** Re-attaches a panel restored by VS Code after a reload. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, getClient: GetClient): void {
    MemoryPanel.current?.dispose();
    MemoryPanel.current = new MemoryPanel(panel, context, getClient);
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly getClient: GetClient,
  ) {
    this.steps = stepDecorations(context.extensionUri);
    const webview = panel.webview;
    webview.options = MemoryPanel.webviewOptions(context.extensionUri);
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
    panel.iconPath = undefined;

    this.disposables.push(
      this.highlight,
      this.steps.executed,
      this.steps.next,
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.panel.detail`)) this.post({ type: 'settings', detail: settingsFor().panel.detail });
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.markSteps()),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.schedule(0);
      }),
      webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)),
      vscode.window.onDidChangeActiveTextEditor(() => this.trackActiveEditor(false)),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (!isRust(e.textEditor.document)) return;
        e.textEditor.setDecorations(this.highlight, []);
        if (!this.follows()) return;
        this.target = { uri: e.textEditor.document.uri, position: e.selections[0].active };
        this.visit = 1;
        this.stepOffset = 0;
        this.step = undefined;
        this.schedule(DEBOUNCE_MS);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.target || e.document.uri.toString() !== this.target.uri.toString() || e.contentChanges.length === 0) return;
        if (!this.follows()) return;
        const ed = vscode.window.visibleTextEditors.find((x) => x.document === e.document);
        if (ed) this.target = { uri: e.document.uri, position: ed.selection.active };
        this.schedule(DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (this.target && doc.uri.toString() === this.target.uri.toString()) {
          this.target = undefined;
          this.post({
            type: 'snapshot',
            snapshot: emptySnapshot('unavailable', 'The Rust file was closed. Open a Rust file to see its memory.'),
          });
        }
      }),
    );
    this.trackActiveEditor(true);
  }

  private follows(): boolean {
    return settingsFor().panel.followCursor;
  }

  /** Takes the active editor's cursor as the target (when it is Rust), and redraws. */
  private trackActiveEditor(force: boolean): void {
    const ed = vscode.window.activeTextEditor;
    if (!ed) {
      // Focus went to the panel itself, the output or a terminal: keep the picture.
      if (force && !this.target) {
        const rust = vscode.window.visibleTextEditors.find((e) => isRust(e.document));
        if (rust) this.target = { uri: rust.document.uri, position: rust.selection.active };
        else
          this.post({
            type: 'snapshot',
            snapshot: emptySnapshot('unavailable', 'Open a Rust file and place the cursor in a function to see its memory.'),
          });
      }
      if (force) this.schedule(0);
      return;
    }
    if (!isRust(ed.document)) {
      // Only a user's own non-Rust file replaces the picture; output channels, diff views and
      // our text view of a snapshot do not.
      if (ed.document.uri.scheme !== 'file' && ed.document.uri.scheme !== 'untitled') return;
      if (!force && !this.follows()) return;
      this.target = undefined;
      this.cancel();
      this.post({
        type: 'snapshot',
        snapshot: emptySnapshot(
          'unavailable',
          `${vscode.workspace.asRelativePath(ed.document.uri)} is not a Rust file. Rust Memory draws the memory of Rust programs.`,
        ),
      });
      return;
    }
    if (!force && !this.follows()) return;
    this.target = { uri: ed.document.uri, position: ed.selection.active };
    this.visit = 1;
    this.stepOffset = 0;
    this.step = undefined;
    this.schedule(force ? 0 : DEBOUNCE_MS);
  }

  /** Redraws at the current target (after a server restart, a visit or step change). */
  refresh(): void {
    this.schedule(0);
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending?.cancel();
    this.pending?.dispose();
    this.pending = undefined;
  }

  private schedule(delay: number): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, delay);
  }

  private async update(): Promise<void> {
    const target = this.target;
    if (!target || !this.panel.visible) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri.toString());
    if (!doc) return;
    const cts = new vscode.CancellationTokenSource();
    this.pending = cts;
    this.post({ type: 'busy' });
    let snapshot: Snapshot;
    try {
      snapshot = await requestSnapshot(this.getClient, doc, target.position, this.visit, this.stepOffset, cts.token, this.step);
    } catch (e) {
      if (cts.token.isCancellationRequested) return;
      snapshot = emptySnapshot(
        'unavailable',
        `The server could not compute the memory here: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (cts.token.isCancellationRequested || this.pending !== cts) return;
    this.pending = undefined;
    cts.dispose();
    this.last = snapshot;
    this.post({ type: 'snapshot', snapshot, file: vscode.workspace.asRelativePath(doc.uri) });
  }

  private post(m: ToWebview): void {
    if (m.type === 'snapshot') {
      // A syntax error keeps the last picture (and its marks in the editor).
      if (m.snapshot.status !== 'syntax-error' || !this.last) this.last = m.snapshot;
      this.markSteps();
    }
    void this.panel.webview.postMessage(m);
  }

  /** Marks the line just executed and the next one in the editors showing the target. */
  private markSteps(): void {
    const s = this.last;
    const shown = !!s && (s.status === 'ok' || s.status === 'stopped') && !!this.target && s.frames.length > 0;
    for (const ed of vscode.window.visibleTextEditors) {
      const mine = shown && ed.document.uri.toString() === this.target!.uri.toString();
      const executed = mine && s!.range ? s!.range.end.line : undefined;
      const next = mine && s!.next ? s!.next.start.line : undefined;
      ed.setDecorations(this.steps.executed, executed !== undefined ? [new vscode.Range(executed, 0, executed, 0)] : []);
      ed.setDecorations(this.steps.next, next !== undefined && next !== executed ? [new vscode.Range(next, 0, next, 0)] : []);
    }
  }

  private onMessage(m: FromWebview): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.post({ type: 'settings', detail: settingsFor().panel.detail });
        this.schedule(0);
        break;
      case 'goto':
        if (Number.isInteger(m.step) && m.step >= 0) {
          this.step = m.step;
          this.schedule(0);
        }
        break;
      case 'visit':
        if (Number.isInteger(m.visit) && m.visit >= 1) {
          this.visit = m.visit;
          this.stepOffset = 0;
          this.step = undefined;
          this.schedule(0);
        }
        break;
      case 'reveal':
        void this.reveal(m.range);
        break;
      case 'detail':
        if (m.detail === 'learner' || m.detail === 'expert') {
          this.view = { ...this.view, detail: m.detail };
          void vscode.workspace.getConfiguration(SETTINGS_SECTION).update('panel.detail', m.detail, vscode.ConfigurationTarget.Global);
        }
        break;
      case 'exportSvg':
        if (m.detail === 'learner' || m.detail === 'expert')
          this.view = { detail: m.detail, expanded: Array.isArray(m.expanded) ? m.expanded.map(String) : [] };
        void exportSnapshotSvg(this.getClient, this.last, this.view);
        break;
    }
  }

  /** Shows the code that created a slot or block: scrolls to it and highlights it, cursor unmoved. */
  private async reveal(range: { start: { line: number; character: number }; end: { line: number; character: number } }): Promise<void> {
    if (!this.target) return;
    const doc = await vscode.workspace.openTextDocument(this.target.uri);
    const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const ed = await vscode.window.showTextDocument(doc, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
    });
    ed.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    ed.setDecorations(this.highlight, [r]);
  }

  /** The snapshot shown now, if any. */
  get snapshot(): Snapshot | undefined {
    return this.last;
  }

  dispose(): void {
    if (MemoryPanel.current === this) MemoryPanel.current = undefined;
    this.cancel();
    this.last = undefined;
    this.markSteps();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    void this.context;
  }
}

/**
 * "Rust Memory: Export Memory Diagram as SVG": writes the picture shown in the panel (or, without
 * a panel, the memory at the active editor's cursor) to a standalone .svg file, in the panel's
 * view (`rustMemory.panel.detail`, and the slots opened in the learner view).
 */
export async function exportSnapshotSvg(
  getClient: GetClient,
  shown?: Snapshot,
  view: { detail: DetailSetting; expanded?: string[] } = { detail: settingsFor().panel.detail },
): Promise<void> {
  let snapshot = shown ?? MemoryPanel.current?.snapshot;
  const ed = vscode.window.activeTextEditor;
  if (!snapshot) {
    if (!ed || !isRust(ed.document)) {
      void vscode.window.showInformationMessage(
        'Rust Memory: open a Rust file and place the cursor in a function to export its memory diagram.',
      );
      return;
    }
    try {
      snapshot = await requestSnapshot(getClient, ed.document, ed.selection.active, 1, 0);
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Rust Memory: could not get the memory at the cursor: ${e instanceof Error ? e.message : String(e)}`,
      );
      return;
    }
  }
  if (snapshot.frames.length === 0 && snapshot.heap.length === 0 && snapshot.statics.length === 0) {
    void vscode.window.showInformationMessage(`Rust Memory: nothing to export. ${snapshot.message}`);
    return;
  }
  const base =
    ed && isRust(ed.document) && ed.document.uri.scheme === 'file'
      ? vscode.Uri.joinPath(ed.document.uri, '..')
      : vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `memory-${(snapshot.function ?? 'snapshot').replace(/[^A-Za-z0-9_]+/g, '_')}${snapshot.line ? `-line${snapshot.line}` : ''}.svg`;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
    filters: { SVG: ['svg'] },
    saveLabel: 'Export',
  });
  if (!uri) return;
  // The picture as the panel draws it: its detail level and opened slots.
  await vscode.workspace.fs.writeFile(
    uri,
    new TextEncoder().encode(renderSnapshotSvg(snapshot, { detail: view.detail, expanded: view.expanded })),
  );
  const open = await vscode.window.showInformationMessage(`Rust Memory: diagram saved to ${vscode.workspace.asRelativePath(uri)}.`, 'Open');
  if (open === 'Open') await vscode.commands.executeCommand('vscode.open', uri);
}
