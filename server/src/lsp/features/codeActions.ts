/**
 * `textDocument/codeAction`: the quick fixes of our diagnostics (`ide/quickFixes.ts`), each a
 * `CodeAction` of kind `quickfix` with a `WorkspaceEdit` on the version of the document the
 * fixes were computed for (a client refuses it once the document changed). The action lists the
 * client's diagnostic it fixes (matched by code and range), so VS Code's light bulb and Neovim's
 * `vim.lsp.buf.code_action` show it against the squiggle. Honours `rustMemory.diagnostics.enable`.
 */
import { CodeActionKind, type CodeAction, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { AnalysisHost } from '../analysisHost';
import { type Settings, describe, toLspDiagnostic } from './common';

export class CodeActionsFeature {
  constructor(private readonly settings: Settings) {}

  register(connection: Connection, host: AnalysisHost): void {
    connection.onCodeAction(async (params): Promise<CodeAction[]> => {
      try {
        const uri = params.textDocument.uri;
        if (!host.isOpen(uri)) return [];
        const only = params.context.only;
        if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === '')) return [];
        const settings = await this.settings.get(connection, uri);
        if (!settings.diagnostics.enable) return [];
        const { version, result } = await host.quickFixes(uri, params.range);
        if (version === null) return [];
        return result.map((f) => {
          const mine = toLspDiagnostic(f.diagnostic, uri);
          const theirs = params.context.diagnostics.find((d) => sameDiagnostic(d, mine));
          return {
            title: f.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [theirs ?? mine],
            isPreferred: f.preferred,
            edit: { documentChanges: [{ textDocument: { uri, version }, edits: f.edits }] },
          };
        });
      } catch (err) {
        connection.console.error(`rust-memory: code actions failed: ${describe(err)}`);
        return [];
      }
    });
  }
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return (
    a.code === b.code &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character
  );
}
