/**
 * The extension-host suite (`test/vscode/suite/`, mocha on the real `vscode` API) run inside
 * code-server, where no desktop VS Code is available: the workbench is opened with the
 * `payload` query VS Code's web embedder reads (`extensionDevelopmentPath` = this repository,
 * `extensionTestsPath` = the compiled suite), so the remote extension host loads the extension
 * from the working tree and runs the suite; VS Code reports the suite's exit code through
 * `window.codeAutomationExit`, which this test exposes to the page.
 *
 * Needs `npm run build` (dist/, out/) and the code-server build (test/e2e/build-code-server.sh).
 * The suite's output is saved to `test-output/e2e/host-suite.log`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from '../support/fixtures';
import { buildCodeServer, startCodeServer, type CodeServer } from './codeServer';
import { makeSeedWorkspace } from './workspace';

const root = repoRoot();
const outDir = path.join(root, 'test-output', 'e2e');

describe('the extension-host suite in code-server', { timeout: 60 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workspace: string | undefined;

  before(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    assert.ok(fs.existsSync(path.join(root, 'dist', 'extension.js')), 'dist/extension.js is missing: run npm run build');
    const codeServerDir = await buildCodeServer(root);
    workspace = makeSeedWorkspace().folder;
    server = await startCodeServer({ codeServerDir, workspace, logFile: path.join(outDir, 'host-suite-code-server.log') });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  test('passes (activation, getDiagnostics, executeHoverProvider, the panel command, a restart after the server dies, a fixing edit)', async () => {
    const remote = (p: string): string => `vscode-remote://${server!.authority}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(path.join(root, 'out', 'test', 'vscode', 'suite', 'index.js'))],
    ]);
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    const lines: string[] = [];
    page.on('console', (m) => lines.push(m.text()));
    let exited: (code: number) => void = () => {};
    const exit = new Promise<number>((resolve) => {
      exited = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
      lines.push(`[${type}] ${args.map(String).join(' ')}`),
    );
    await page.goto(`${server!.url}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the suite did not finish within 10 minutes')), 10 * 60_000).unref(),
    );
    let code: number;
    try {
      code = await Promise.race([exit, timeout]);
    } finally {
      fs.writeFileSync(path.join(outDir, 'host-suite.log'), lines.join('\n') + '\n');
      await page.screenshot({ path: path.join(outDir, 'host-suite.png') }).catch(() => {});
    }
    const mocha = lines.filter((l) => /passing|failing|pending|✔|✓|\d+\) |Error/.test(l)).join('\n');
    assert.equal(code, 0, `the extension-host suite failed (exit ${code}):\n${mocha || lines.slice(-40).join('\n')}`);
    const summary = /rust-memory suite: (\d+) passing, (\d+) failing/.exec(lines.join('\n'));
    assert.ok(summary, 'the suite reported its results');
    assert.equal(Number(summary[2]), 0);
    assert.ok(Number(summary[1]) >= 5, `only ${summary[1]} tests ran`);
  });
});
