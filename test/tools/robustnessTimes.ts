/**
 * `npm run robustness [-- DIR...]`: the CPU time of each reproduction in `../shared/robustness/`
 * (skipped with a message when absent) and of each minimised finding in
 * `test/fixtures/robustness/`, probed in-process as the fuzzer does (test/support/probe.ts:
 * `analyze`, 5 hovers, 3 snapshots and the run's stop), one file after another in one child
 * process with a 1 GB heap (the first file is probed twice, the first time to warm the JIT up).
 *
 * Prints per file: CPU ms (user + system of the process, not inflated by other processes on a
 * loaded machine), wall ms, why the simulation stopped, the snapshot statuses and any position
 * past the end of its line; then how many took more than a second of CPU time. Numbers only:
 * the robustness test (test/engine/robustness.test.ts) asserts the answers, not the time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot, sharedPath } from '../support/fixtures';
import type { ProbeResult } from '../support/probe';

/** CPU milliseconds a reproduction should be answered within (issue 13). */
const BUDGET_MS = 1_000;

function rustFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rs'))
    .sort()
    .map((f) => path.join(dir, f));
}

function main(): void {
  const given = process.argv.slice(2);
  const shared = sharedPath('robustness');
  const dirs = given.length ? given : [shared, path.join(fixturesDir(), 'robustness')];
  const files: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d)) {
      console.log(`skipped: ${d} is absent`);
      continue;
    }
    files.push(...rustFiles(d));
  }
  if (!files.length) return;
  const child = path.join(repoRoot(), 'out', 'test', 'tools', 'fuzzChild.js');
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', child, files[0], ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    console.log(`the probe process failed (status ${r.status}, signal ${r.signal}): ${r.stderr.slice(0, 2000)}`);
    process.exitCode = 1;
  }
  const results = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .slice(1)
    .map((l) => JSON.parse(l) as ProbeResult & { file: string });
  const rows = results.map((res) => [
    path.relative(repoRoot(), res.file),
    res.cpuMs.toFixed(0),
    res.ms.toFixed(0),
    res.refused ? 'refused' : (res.stop?.reason ?? '-'),
    res.snapshots.join(',') || '-',
    [...res.badPositions, ...res.failures, ...(res.escaped ? [`escaped: ${res.escaped.split('\n')[0]}`] : [])].join('; ') || '-',
  ]);
  const headers = ['file', 'CPU ms', 'wall ms', 'stop', 'snapshots', 'problems'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  const cpu = results.map((x) => x.cpuMs).sort((a, b) => a - b);
  const over = results.filter((x) => x.cpuMs > BUDGET_MS).length;
  console.log(
    `\n${results.length} files: CPU ms median ${cpu[Math.floor(cpu.length / 2)]?.toFixed(0)}, max ${cpu[cpu.length - 1]?.toFixed(0)}; ` +
      `${over} over ${BUDGET_MS} ms; total ${cpu.reduce((a, b) => a + b, 0).toFixed(0)} ms`,
  );
  if (results.length < files.length) console.log(`${files.length - results.length} files gave no answer (the process died)`);
}

main();
