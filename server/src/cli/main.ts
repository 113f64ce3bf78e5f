/**
 * Entry point of the `rust-memory` CLI (bundled to dist/cli.js, started by bin/rust-memory).
 * See `commands.ts` for the commands, formats and exit statuses.
 */
import { setFlagsFromString } from 'node:v8';
import { run } from './commands';

/**
 * A CLI run is short and runs most of the engine's code once: V8's optimizing compiler, at its
 * default budget, compiles hundreds of functions that barely run again, on background threads
 * whose CPU counts too (about 40% of the CPU of `check` on the 6,858-line generated file,
 * `npm run bench`). Eight times its budget (V8's default is 67,584 bytecodes' worth) keeps it
 * for the really hot code (long runs over many files still get optimized code).
 */
const INTERRUPT_BUDGET = 8 * 67_584;
setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);

const outcome = run(process.argv.slice(2));
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.code;
