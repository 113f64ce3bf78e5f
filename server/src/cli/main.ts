/**
 * Entry point of the `rust-memory` CLI (bundled to dist/cli.js, started by bin/rust-memory).
 * See `commands.ts` for the commands, formats and exit statuses.
 */
import { run } from './commands';

const outcome = run(process.argv.slice(2));
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.code;
