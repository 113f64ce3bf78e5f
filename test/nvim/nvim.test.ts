/**
 * A second editor that no one here wrote: Neovim's built-in LSP client (Debian's 0.7) runs our
 * language server (`dist/server.js --stdio`) with the config users copy from the README
 * (`test/nvim/init.lua`), opens a seed fixture, and we check the diagnostics and the hover it
 * received, the document highlights of a binding (its lifetime), and that the quick fix picked
 * in `vim.lsp.buf.code_action()` is applied and clears the squiggle. This shows the server
 * speaks plain LSP, with no VS Code in the loop.
 *
 * `test/nvim/check.lua` does the editor side and writes what Neovim saw as JSON.
 * Skips when `nvim` is not installed, unless RUST_MEMORY_REQUIRE_EDITORS=1 (CI), where it fails.
 * Needs a built `dist/server.js` (`npm run build`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/fixtures';
import { parseAnnotations } from '../support/annotations';

const root = repoRoot();
const fixture = path.join(root, 'test', 'fixtures', 'seeds', 'seed-000-ex1-string-move.rs');

/** The nvim on PATH and its version line, or null when there is none. */
function findNvim(): { bin: string; version: string } | null {
  try {
    const version = execFileSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 }).split('\n')[0];
    return { bin: 'nvim', version };
  } catch {
    return null;
  }
}

interface NvimResult {
  nvim: string;
  filetype: string;
  attached: boolean;
  diagnostics: {
    lnum: number;
    col: number;
    end_lnum: number;
    end_col: number;
    severity: number;
    message: string;
    source: string | null;
    code: string | number | null;
  }[];
  hover: { text: string; range: unknown } | null;
  highlights?: { kind: number; line: number; character: number; end_line: number; end_character: number }[];
  highlight_marks?: number;
  actions?: string[];
  fixed_text?: string;
  fixed_diagnostics?: { lnum: number; code: string | number | null; message: string }[];
  errors: string[];
}

const nvim = findNvim();
const required = process.env.RUST_MEMORY_REQUIRE_EDITORS === '1';
const skip = nvim || required ? false : 'nvim is not installed (apt-get install neovim); set RUST_MEMORY_REQUIRE_EDITORS=1 to fail instead';

test('Neovim: E0382, hover, lifetime highlights and a quick fix for seed 000 example 1', { skip, timeout: 120_000 }, async () => {
  assert.ok(nvim, 'RUST_MEMORY_REQUIRE_EDITORS=1 but nvim is not on PATH');
  const server = path.join(root, 'dist', 'server.js');
  assert.ok(fs.existsSync(server), `${server} is missing: run npm run build`);

  const text = fs.readFileSync(fixture, 'utf8');
  const annotations = parseAnnotations(text);
  assert.deepEqual(annotations.problems, []);
  const error = annotations.errors.find((e) => e.code === 'E0382');
  assert.ok(error, 'the fixture expects E0382');
  // The hover on the `x` used after the move (the last `x` hover expectation with a state).
  const hover = annotations.hovers
    .filter((h) => h.word === 'x' && typeof h.expect.state === 'string' && /moved/.test(String(h.expect.state)))
    .pop();
  assert.ok(hover, 'the fixture has a hover expectation for the moved x');

  const decl = annotations.hovers.find((h) => h.word === 'x' && h.expect.state === 'owned' && h.expect.size !== undefined);
  assert.ok(decl, 'the fixture has a hover expectation on the declaration of x');

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-memory-nvim-'));
  try {
    const out = path.join(scratch, 'result.json');
    // The fixture is copied so that Neovim's swap/undo files never land in the repository.
    const file = path.join(scratch, 'main.rs');
    fs.writeFileSync(file, text);
    const env = {
      ...process.env,
      RUST_MEMORY_SERVER: server,
      RUST_MEMORY_NVIM_OUT: out,
      RUST_MEMORY_NVIM_TIMEOUT: '30000',
      RUST_MEMORY_HOVER_LINE: String(hover.line),
      RUST_MEMORY_HOVER_COL: String(hover.character),
      // The lifetime of `x` from its declaration; the quick fix at the use after the move.
      RUST_MEMORY_HIGHLIGHT_LINE: String(decl.line),
      RUST_MEMORY_HIGHLIGHT_COL: String(decl.character),
      RUST_MEMORY_FIX_LINE: String(hover.line),
      RUST_MEMORY_FIX_COL: String(hover.character),
      // Neovim's state (shada, lsp.log) stays in the scratch folder.
      XDG_STATE_HOME: path.join(scratch, 'state'),
      XDG_CACHE_HOME: path.join(scratch, 'cache'),
      XDG_DATA_HOME: path.join(scratch, 'data'),
      XDG_CONFIG_HOME: path.join(scratch, 'config'),
    };
    const args = [
      '--headless',
      '--clean',
      '-n',
      '-u',
      path.join(root, 'test', 'nvim', 'init.lua'),
      '-c',
      `luafile ${path.join(root, 'test', 'nvim', 'check.lua')}`,
      file,
    ];
    const run = await new Promise<{ stdout: string; stderr: string; error: Error | null }>((resolve) => {
      execFile(nvim.bin, args, { cwd: scratch, env, timeout: 100_000 }, (error, stdout, stderr) => resolve({ stdout, stderr, error }));
    });
    assert.ok(fs.existsSync(out), `nvim wrote no result (${run.error?.message ?? 'exited'}):\n${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;

    assert.equal(result.filetype, 'rust');
    assert.equal(result.attached, true, 'the rust-memory client attached');
    assert.deepEqual(result.errors, [], `Neovim saw: ${JSON.stringify(result)}`);

    // The diagnostic: rustc's code and message, our source, on the line rustc reports.
    const d = result.diagnostics.find((x) => String(x.code) === 'E0382');
    assert.ok(d, `no E0382 among ${JSON.stringify(result.diagnostics)}`);
    assert.equal(d.source, 'rust-memory');
    assert.equal(d.severity, 1, 'an error (vim.diagnostic.severity.ERROR)');
    assert.equal(d.lnum + 1, error.line, 'on the line of the use after the move (1-based like rustc)');
    assert.ok(d.col <= hover.character && hover.character < d.end_col, 'the span covers the moved x');
    if (error.message) assert.ok(d.message.includes(error.message), `message '${d.message}' lacks '${error.message}'`);

    // The hover: every value the fixture expects for this position appears in what Neovim shows.
    assert.ok(result.hover, 'no hover result');
    const shown = result.hover.text;
    for (const [key, value] of Object.entries(hover.expect)) {
      if (key === 'name' || value === null) continue;
      assert.ok(shown.toLowerCase().includes(String(value).toLowerCase()), `hover lacks ${key}=${value}:\n${shown}`);
    }

    // Document highlights of `x`: its declaration (Write = 3) and its move into `y` (Write) on
    // the line after, and Neovim drew them.
    const hl = result.highlights ?? [];
    const at = (line: number, character: number): boolean => hl.some((h) => h.kind === 3 && h.line === line && h.character === character);
    assert.ok(at(decl.line, decl.character), JSON.stringify(hl));
    const moveLine = text.split('\n').findIndex((l) => l.trimStart().startsWith('let y = x;'));
    assert.ok(at(moveLine, text.split('\n')[moveLine].indexOf('x;')), JSON.stringify(hl));
    assert.ok((result.highlight_marks ?? 0) > 0, 'vim.lsp.buf.document_highlight() drew the highlights');

    // The quick fix: the preferred action clones `x` at the move; the E0382 is gone after it.
    assert.ok(
      result.actions?.some((t) => t.startsWith('Clone `x`')),
      JSON.stringify(result.actions),
    );
    assert.ok(result.fixed_text?.includes('let y = x.clone();'), result.fixed_text);
    const left = (result.fixed_diagnostics ?? []).filter((x) => String(x.code) === 'E0382');
    assert.deepEqual(left, [], JSON.stringify(result.fixed_diagnostics));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
