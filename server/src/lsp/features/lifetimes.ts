/**
 * The lifetime of the binding at the cursor (`ide/lifetime.ts`, from the borrow checker):
 *
 * - `textDocument/documentHighlight`, for every LSP editor: its declaration and assignments
 *   (Write), where it is live (Text), its shared borrows until their last use (Read), its
 *   mutable borrows and moves (Write), its drop (Text); multi-line ranges cut per line
 *   (`LifetimeSegment.lines`), so editors draw the code, not the indentation.
 * - `rustMemory/lifetime` (protocol.ts), the same with kinds and legends, which the VS Code
 *   client draws as decorations.
 *
 * Honours `rustMemory.lifetimes.enable` (off: no highlights, null).
 */
import { DocumentHighlightKind, type Connection, type DocumentHighlight } from 'vscode-languageserver/node';
import { lifetimeRequest, type Lifetime, type LifetimeKind } from '../../../../shared/protocol';
import type { AnalysisHost } from '../analysisHost';
import { type Settings, describe } from './common';

const KIND: Record<LifetimeKind, DocumentHighlightKind> = {
  decl: DocumentHighlightKind.Write,
  assign: DocumentHighlightKind.Write,
  live: DocumentHighlightKind.Text,
  shared: DocumentHighlightKind.Read,
  mut: DocumentHighlightKind.Write,
  move: DocumentHighlightKind.Write,
  drop: DocumentHighlightKind.Text,
};

export class LifetimesFeature {
  constructor(private readonly settings: Settings) {}

  register(connection: Connection, host: AnalysisHost): void {
    const lifetime = async (uri: string, position: { line: number; character: number }): Promise<Lifetime | null> => {
      if (!host.isOpen(uri)) return null;
      const settings = await this.settings.get(connection, uri);
      if (!settings.lifetimes.enable) return null;
      return host.lifetime(uri, position);
    };
    connection.onDocumentHighlight(async (params): Promise<DocumentHighlight[] | null> => {
      try {
        const lt = await lifetime(params.textDocument.uri, params.position);
        if (!lt) return null;
        return lt.segments.flatMap((s) => s.lines.map((range) => ({ range, kind: KIND[s.kind] })));
      } catch (err) {
        connection.console.error(`rust-memory: document highlight failed: ${describe(err)}`);
        return null;
      }
    });
    connection.onRequest(lifetimeRequest, async (params): Promise<Lifetime | null> => {
      try {
        return await lifetime(params.textDocument.uri, params.position);
      } catch (err) {
        connection.console.error(`rust-memory: lifetime failed: ${describe(err)}`);
        return null;
      }
    });
  }
}
