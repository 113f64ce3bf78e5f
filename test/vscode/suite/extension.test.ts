/// <reference types="mocha" />
/**
 * The extension through the real `vscode` API, inside a VS Code extension host: activation on a
 * Rust file, the diagnostics VS Code holds, the hover VS Code's hover providers return, the panel
 * command, the client restarting a server that died (the answer to any fault that kills it,
 * such as a framing error on stdio; VS Code talks to it over node IPC), and an edit that fixes
 * the error.
 *
 * Runs in a desktop VS Code (`npm run test:vscode`, @vscode/test-electron) or in code-server
 * (`test/e2e/hostSuite.test.ts`). The workspace is the one `test/e2e/workspace.ts` makes: its
 * `src/main.rs` is seed 000, example 1 (`let y = x;` then `println!("x: {}", x);`).
 * Waits are on VS Code events with deadlines; only the server restart is polled (every 200 ms).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const extensionId = 'rust-memory.rust-memory';

/** Resolves with the diagnostics of `uri` once `pred` holds for them; rejects after `timeoutMs`. */
function diagnosticsWhen(uri: vscode.Uri, pred: (d: vscode.Diagnostic[]) => boolean, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const d = vscode.languages.getDiagnostics(uri);
      if (!pred(d)) return false;
      done();
      resolve(d);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(
          `diagnostics of ${uri.fsPath} never matched within ${timeoutMs} ms; last: ${JSON.stringify(vscode.languages.getDiagnostics(uri))}`,
        ),
      );
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      sub.dispose();
    };
    check();
  });
}

/** The rustc code of a diagnostic, whether given as a string or as `{ value, target }`. */
function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

const isE0382 = (d: vscode.Diagnostic): boolean => codeOf(d) === 'E0382' && d.source === 'rust-memory';

/**
 * Position of the `occurrence`-th `needle` (counted from the start of the code) on the first
 * line whose code, indentation aside, starts with `lineText` (comments quoting code do not match).
 */
function positionOf(doc: vscode.TextDocument, lineText: string, needle: string, occurrence = 0): vscode.Position {
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineAt(line).text;
    if (!text.trimStart().startsWith(lineText)) continue;
    let at = doc.lineAt(line).firstNonWhitespaceCharacterIndex - 1;
    for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
    if (at >= 0) return new vscode.Position(line, at);
  }
  throw new Error(`'${needle}' not found on a line starting with '${lineText}'`);
}

/** Markdown/plain text of every hover content. */
function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/**
 * Pids of the language servers this extension host started (its child processes running
 * `dist/server.js`), read from /proc (Linux). Empty where /proc is absent.
 */
function serverPids(): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return out;
  }
  for (const e of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('server.js')) out.push(Number(e));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** Resolves with `f()` once it is truthy, asking every 200 ms; rejects after `timeoutMs`. */
async function eventually<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Rust Memory in the extension host', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test run opens the seed workspace');
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src', 'main.rs'));
    await vscode.window.showTextDocument(doc);
  });

  it('activates on a Rust file (onLanguage:rust)', async () => {
    assert.equal(doc.languageId, 'rust');
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is loaded`);
    // Opening the document is what activates it; activate() only waits for that to finish.
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('publishes E0382 from rust-memory on the use after the move', async () => {
    const diags = await diagnosticsWhen(doc.uri, (d) => d.some(isE0382));
    const d = diags.find(isE0382)!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /borrow of moved value: `x`/);
    const x = positionOf(doc, 'println!', 'x', 1);
    assert.ok(d.range.contains(x), `range ${JSON.stringify(d.range)} covers the x in println!`);
    const target = typeof d.code === 'object' ? d.code.target.toString() : '';
    assert.match(target, /E0382/, 'the code links to the rustc error index');
    const related = (d.relatedInformation ?? []).map((r) => `${r.location.range.start.line}:${r.message}`);
    const moveLine = positionOf(doc, 'let y = x', 'x').line;
    assert.ok(
      related.includes(`${moveLine}:value moved here`),
      `related ${JSON.stringify(related)} has "value moved here" on line ${moveLine}`,
    );
  });

  it('answers vscode.executeHoverProvider on the moved x with where it lives and its state', async () => {
    const x = positionOf(doc, 'println!', 'x', 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, x);
    const text = hoverText(hovers);
    assert.match(text, /String/);
    assert.match(text, /stack/i);
    assert.match(text, /\bmain\b/);
    assert.match(text, /moved to `?y`?/i);
  });

  it('opens the memory panel with rustMemory.openMemoryPanel', async () => {
    const isPanel = (t: vscode.Tab): boolean =>
      t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('rustMemory.memoryPanel');
    const findPanel = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find(isPanel);
    const opened = new Promise<vscode.Tab>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error('no memory panel tab within 30 s'));
      }, 30_000);
      const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
        const t = findPanel();
        if (t) {
          clearTimeout(timer);
          sub.dispose();
          resolve(t);
        }
      });
    });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('rustMemory.openMemoryPanel');
    const tab = findPanel() ?? (await opened);
    assert.match(tab.label, /memory/i);
  });

  it('restarts the server when it dies (killed here with SIGKILL), and hovers answer again', async function () {
    const before = serverPids();
    if (!before.length) return this.skip(); // no /proc, or the server is not a child of this host
    for (const pid of before) process.kill(pid, 'SIGKILL');
    const after = await eventually('a new server process', async () => {
      const now = serverPids().filter((p) => !before.includes(p));
      return now.length ? now : undefined;
    });
    assert.ok(after.every((p) => !before.includes(p)));
    const x = positionOf(doc, 'println!', 'x', 1);
    const text = await eventually('a hover from the restarted server', async () => {
      const t = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, x)) ?? []);
      return /moved to `?y`?/i.test(t) ? t : undefined;
    });
    assert.match(text, /String/);
  });

  it('clears E0382 after inserting .clone() in `let y = x;`', async () => {
    const editor = await vscode.window.showTextDocument(doc);
    const x = positionOf(doc, 'let y = x', 'x');
    const ok = await editor.edit((e) => e.insert(x.translate(0, 1), '.clone()'));
    assert.ok(ok, 'the edit applied');
    await diagnosticsWhen(doc.uri, (d) => !d.some(isE0382));
    assert.match(doc.getText(), /let y = x\.clone\(\);/);
  });
});
