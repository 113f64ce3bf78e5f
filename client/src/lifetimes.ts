/**
 * The lifetime of the binding at the cursor, drawn in the editor (what RustOwl shows, from our
 * borrow checker): `rustMemory/lifetime` (shared/protocol.ts) answers, for the binding under the
 * cursor, where its value is live, its shared and mutable borrows until the last use of each
 * reference, its moves and its drop; each kind gets its own underline colour (COLORS), moves and
 * drops a short label after them, and every decoration a hover with its legend ("borrowed
 * mutably by `r` from 4:13 to 6:5").
 *
 * Asked when the cursor moves or the document changes (after `DELAY_MS` without either), only
 * while `rustMemory.lifetimes.enable` is on; cleared when the cursor is on no binding.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { lifetimeRequest, type Lifetime, type LifetimeKind } from '../../shared/protocol';
import { COLORS } from '../../shared/commands';
import { settingsFor } from './settings';

/** Quiet time after a cursor move or an edit before the lifetime is asked (ms). */
export const DELAY_MS = 120;

const underline = (color: string, style: 'solid' | 'dotted' | 'dashed' = 'solid'): vscode.DecorationRenderOptions => ({
  borderColor: new vscode.ThemeColor(color),
  borderStyle: style,
  borderWidth: '0 0 2px 0',
});

/** The decoration of each kind (`decl` and `assign` are drawn as live/write marks). */
function decorationTypes(): Record<LifetimeKind, vscode.TextEditorDecorationType> {
  const make = (o: vscode.DecorationRenderOptions): vscode.TextEditorDecorationType => vscode.window.createTextEditorDecorationType(o);
  return {
    live: make(underline(COLORS.lifetimeLive, 'dotted')),
    decl: make({ ...underline(COLORS.lifetimeLive), fontWeight: 'bold' }),
    assign: make(underline(COLORS.lifetimeLive)),
    shared: make(underline(COLORS.lifetimeShared)),
    mut: make(underline(COLORS.lifetimeMut)),
    move: make({
      ...underline(COLORS.lifetimeMove),
      after: { contentText: ' moved', color: new vscode.ThemeColor(COLORS.lifetimeMove), fontStyle: 'italic' },
    }),
    drop: make({
      ...underline(COLORS.lifetimeDrop),
      after: { contentText: ' dropped', color: new vscode.ThemeColor(COLORS.lifetimeDrop), fontStyle: 'italic' },
    }),
  };
}

export class LifetimeDecorations implements vscode.Disposable {
  private readonly types = decorationTypes();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  /** The editor decorated last (cleared before another is decorated). */
  private decorated: vscode.TextEditor | undefined;

  constructor(private readonly getClient: () => LanguageClient | undefined) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.schedule(e)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const ed = vscode.window.activeTextEditor;
        if (ed && e.document === ed.document) this.schedule(ed);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('rustMemory.lifetimes')) {
          const ed = vscode.window.activeTextEditor;
          if (ed) this.schedule(ed);
        }
      }),
    );
  }

  private schedule(editor: vscode.TextEditor): void {
    if (this.timer) clearTimeout(this.timer);
    const gen = ++this.generation;
    this.timer = setTimeout(() => void this.update(editor, gen), DELAY_MS);
  }

  private async update(editor: vscode.TextEditor, gen: number): Promise<void> {
    const doc = editor.document;
    const client = this.getClient();
    if (doc.languageId !== 'rust' || !client || !settingsFor(doc.uri).lifetimes.enable) return this.clear();
    const version = doc.version;
    let lt: Lifetime | null;
    try {
      lt = await client.sendRequest(lifetimeRequest, {
        textDocument: { uri: client.code2ProtocolConverter.asUri(doc.uri) },
        position: client.code2ProtocolConverter.asPosition(editor.selection.active),
      });
    } catch {
      lt = null;
    }
    // A newer cursor move or edit is on its way: its answer will draw.
    if (gen !== this.generation || doc.version !== version) return;
    if (!lt) return this.clear();
    this.draw(editor, lt);
  }

  /** Draws `lt` in `editor` (each kind in its decoration, every range with its legend). */
  draw(editor: vscode.TextEditor, lt: Lifetime): void {
    if (this.decorated && this.decorated !== editor) this.clear();
    const byKind = new Map<LifetimeKind, vscode.DecorationOptions[]>();
    for (const s of lt.segments) {
      const list = byKind.get(s.kind) ?? [];
      const hover = new vscode.MarkdownString(`**Rust Memory** · lifetime of \`${lt.name}\`: ${s.message}`);
      for (const r of s.lines)
        list.push({ range: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), hoverMessage: hover });
      byKind.set(s.kind, list);
    }
    for (const [kind, type] of Object.entries(this.types) as [LifetimeKind, vscode.TextEditorDecorationType][])
      editor.setDecorations(type, byKind.get(kind) ?? []);
    this.decorated = editor;
  }

  clear(): void {
    const ed = this.decorated;
    this.decorated = undefined;
    if (ed) for (const type of Object.values(this.types)) ed.setDecorations(type, []);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.clear();
    for (const d of this.disposables) d.dispose();
    for (const t of Object.values(this.types)) t.dispose();
  }
}
