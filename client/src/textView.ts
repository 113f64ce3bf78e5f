/**
 * "Rust Memory: Show Memory as Text": the snapshot at the cursor as a read-only text document
 * (the CLI's text rendering, `renderSnapshotText`), for screen readers, copying into notes, and
 * diffing two steps. Language `rust-memory-snapshot`, highlighted by
 * syntaxes/rust-memory-snapshot.tmLanguage.json (a grammar of its own; nothing for source.rust).
 */
import * as vscode from 'vscode';
import type { Snapshot } from '../../shared/protocol';
import { renderSnapshotText } from '../../shared/render/text';
import { SNAPSHOT_TEXT_LANGUAGE, SNAPSHOT_TEXT_SCHEME } from '../../shared/commands';

/** Serves the text of the snapshots opened so far (one document per file and line). */
export class SnapshotTextProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This memory snapshot is no longer available. Run "Rust Memory: Show Memory as Text" again.\n';
  }

  /** Opens (or updates) the text view of `snapshot`, taken in `source`. */
  async show(snapshot: Snapshot, source: vscode.Uri | undefined): Promise<void> {
    const base = source ? (source.path.split('/').pop() ?? 'memory') : 'memory';
    const where = snapshot.function ? `${snapshot.function}${snapshot.line ? ` line ${snapshot.line}` : ''}` : snapshot.status;
    const uri = vscode.Uri.from({ scheme: SNAPSHOT_TEXT_SCHEME, path: `/${base} — ${where}.txt` });
    // Keep the number of documents held bounded.
    if (this.texts.size > 50 && !this.texts.has(uri.toString())) this.texts.delete(this.texts.keys().next().value as string);
    this.texts.set(uri.toString(), renderSnapshotText(snapshot));
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== SNAPSHOT_TEXT_LANGUAGE) await vscode.languages.setTextDocumentLanguage(doc, SNAPSHOT_TEXT_LANGUAGE);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
