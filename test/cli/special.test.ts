// The CLI refuses what is not a regular file (a device, a FIFO) with a message, instead of
// reading forever. The timeout only turns a hang into a failure.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';

it('check /dev/zero: refused with a message', { timeout: 120_000 }, (t) => {
  if (!existsSync('/dev/zero')) return t.skip('no /dev/zero here');
  const r = runCli(['check', '/dev/zero']);
  assert.equal(r.signal, null, 'killed: a hang');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a regular file/);
});

it('snapshot of a FIFO: refused with a message', { timeout: 120_000 }, (t) => {
  const fifo = path.join(mkdtempSync(path.join(tmpdir(), 'rm-fifo-')), 'pipe.rs');
  try {
    execFileSync('mkfifo', [fifo]);
  } catch {
    return t.skip('mkfifo is not available');
  }
  const r = runCli(['snapshot', `${fifo}:1:1`]);
  assert.equal(r.signal, null, 'killed: a hang');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a regular file/);
});
