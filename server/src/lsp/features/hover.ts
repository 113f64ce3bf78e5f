/**
 * Hover on a binding: the analysis worker's hover markdown, with the identifier's range.
 * Honours `rustMemory.hover.enable`. Answers null on any failure (logged).
 */
import { type Connection, type Hover, MarkupKind } from 'vscode-languageserver/node';
import type { AnalysisHost } from '../analysisHost';
import { type Settings, describe } from './common';

export class HoverFeature {
  constructor(private readonly settings: Settings) {}

  register(connection: Connection, host: AnalysisHost): void {
    connection.onHover(async (params): Promise<Hover | null> => {
      try {
        const uri = params.textDocument.uri;
        if (!host.isOpen(uri)) return null;
        const settings = await this.settings.get(connection, uri);
        if (!settings.hover.enable) return null;
        const info = await host.hover(uri, params.position, settings.lifetimes.enable);
        if (!info) return null;
        return { contents: { kind: MarkupKind.Markdown, value: info.markdown }, range: info.range };
      } catch (err) {
        connection.console.error(`rust-memory: hover failed: ${describe(err)}`);
        return null;
      }
    });
  }
}
