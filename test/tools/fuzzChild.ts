/**
 * The fuzzer's worker process (test/tools/fuzz.ts starts it with a heap cap): probes inputs with
 * `probe` (test/support/probe.ts) and writes one JSON line per input to stdout.
 *
 *   node out/test/tools/fuzzChild.js FILE...     probe each file, one result line each
 *   node out/test/tools/fuzzChild.js             read `{"id":N,"text":"..."}` lines from stdin
 *
 * The parent kills it when an input takes longer than its timeout, and starts another.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { probe } from '../support/probe';

const files = process.argv.slice(2);
if (files.length) {
  for (const f of files) process.stdout.write(JSON.stringify({ file: f, ...probe(readFileSync(f, 'utf8')) }) + '\n');
} else {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    const { id, text } = JSON.parse(line) as { id: number; text: string };
    process.stdout.write(JSON.stringify({ id, ...probe(text) }) + '\n');
  });
}
