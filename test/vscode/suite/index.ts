/**
 * Entry point of the extension-host suite (`--extensionTestsPath`): VS Code loads this module
 * inside its extension host and calls `run()`; a rejection fails the run. The last line it logs,
 * `rust-memory suite: N passing, M failing`, is what `test/e2e/hostSuite.test.ts` reads.
 */
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passes = runner.stats?.passes ?? 0;
      console.log(`rust-memory suite: ${passes} passing, ${failures} failing`);
      if (failures) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
