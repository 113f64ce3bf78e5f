/**
 * `textDocument/inlayHint` (`ide/inlayHints.ts`): the size and place of each `let` binding, a
 * `moved` marker after each move and the permissions a borrowed binding keeps (`v: R--`), only while `rustMemory.inlayHints.enable` is on (off by
 * default); a settings change asks the client to refresh them.
 */
import { InlayHintKind, type Connection, type InlayHint } from 'vscode-languageserver/node';
import type { AnalysisHost } from '../analysisHost';
import { type Settings, describe } from './common';

export class InlayHintsFeature {
  constructor(private readonly settings: Settings) {}

  register(connection: Connection, host: AnalysisHost): void {
    connection.languages.inlayHint.on(async (params): Promise<InlayHint[]> => {
      try {
        const uri = params.textDocument.uri;
        if (!host.isOpen(uri)) return [];
        const settings = await this.settings.get(connection, uri);
        if (!settings.inlayHints.enable) return [];
        const hints = await host.inlayHints(uri, params.range);
        return hints.map((h) => ({
          position: h.position,
          label: h.kind === 'layout' ? `: ${h.label}` : h.label,
          kind: InlayHintKind.Type,
          tooltip: h.tooltip,
          paddingLeft: h.kind !== 'layout',
        }));
      } catch (err) {
        connection.console.error(`rust-memory: inlay hints failed: ${describe(err)}`);
        return [];
      }
    });
    this.settings.onDidChange(() => {
      connection.languages.inlayHint.refresh().catch(() => undefined);
    });
  }
}
