/**
 * Entry point of the extension-host suite (`--extensionTestsPath`): VS Code loads this module
 * inside its extension host and calls `run()`; a rejection fails the run.
 */
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
