/**
 * `npm run test:vscode`: the extension-host suite (`test/vscode/suite/`) in a desktop VS Code,
 * through @vscode/test-electron, with this repository as the extension under development.
 *
 * VS Code cannot be downloaded on the build machines, so the executable comes from
 * VSCODE_EXECUTABLE_PATH (e.g. /usr/share/code/code, or `Code.app/Contents/MacOS/Electron`);
 * without it the run says so and skips (exit 0). The same suite runs in code-server in CI
 * (`test/e2e/hostSuite.test.ts`). Needs `npm run build` first (dist/ and out/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../support/fixtures';
import { makeSeedWorkspace } from '../e2e/workspace';

async function main(): Promise<number> {
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
  if (!vscodeExecutablePath) {
    console.log('SKIP test:vscode: no desktop VS Code here. Set VSCODE_EXECUTABLE_PATH to its executable to run the extension-host suite.');
    return 0;
  }
  if (!fs.existsSync(vscodeExecutablePath)) {
    console.error(`VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} does not exist`);
    return 1;
  }
  const root = repoRoot();
  const ws = makeSeedWorkspace();
  const scratch = fs.mkdtempSync(path.join(path.dirname(ws.folder), 'rust-memory-vscode-'));
  try {
    return await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [
        ws.folder,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        path.join(scratch, 'user-data'),
        '--extensions-dir',
        path.join(scratch, 'extensions'),
      ],
    });
  } catch (err) {
    console.error(`the extension-host suite failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    fs.rmSync(ws.folder, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
