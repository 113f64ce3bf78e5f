/**
 * Hover on a binding: the engine's `HoverInfo.markdown` as markdown, with the identifier's range.
 * Honours `rustMemory.hover.enable`. Answers null on any failure (logged).
 */
import { type Connection, type Hover, MarkupKind } from 'vscode-languageserver/node';
import { hoverAt } from '../../ide/hover';
import type { DocumentStore } from '../documents';
import { type Settings, describe, guardedAnalysis } from './common';

export class HoverFeature {
  constructor(private readonly settings: Settings) {}

  register(connection: Connection, documents: DocumentStore): void {
    connection.onHover(async (params): Promise<Hover | null> => {
      try {
        const uri = params.textDocument.uri;
        if (!documents.get(uri)) return null;
        const settings = await this.settings.get(connection, uri);
        if (!settings.hover.enable) return null;
        const analysis = guardedAnalysis(connection, documents, uri);
        if (!analysis) return null;
        const info = hoverAt(analysis, params.position);
        if (!info) return null;
        return { contents: { kind: MarkupKind.Markdown, value: info.markdown }, range: info.range };
      } catch (err) {
        connection.console.error(`rust-memory: hover failed: ${describe(err)}`);
        return null;
      }
    });
  }
}
