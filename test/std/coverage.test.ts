/**
 * Std coverage: every method, associated function and builtin the registry declares has a
 * simulation or an explicit "not simulated: why" (`std/sim/`). Fails listing the ids that have
 * neither; prints the share of declared ids that are not simulated, per family.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STD_FNS } from '../../server/src/std/registry';
import { simulationOf } from '../../server/src/std/sim';

test('every declared std method has a simulation or says why not; the unsimulated share is printed', (t) => {
  const missing: string[] = [];
  const notSimulated: string[] = [];
  const byFamily = new Map<string, { total: number; not: number }>();
  for (const d of STD_FNS) {
    const e = simulationOf(d.id);
    const fam = byFamily.get(d.family) ?? { total: 0, not: 0 };
    fam.total++;
    byFamily.set(d.family, fam);
    if (!e) missing.push(d.id);
    else if (typeof e !== 'function') {
      assert.ok(e.notSimulated.trim().length > 10, `${d.id}: a reason in words`);
      notSimulated.push(`${d.id}: ${e.notSimulated}`);
      fam.not++;
    }
  }
  assert.deepEqual(missing, [], 'declared without a simulation or a reason');
  const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)}%`;
  t.diagnostic(`std fns declared: ${STD_FNS.length}; not simulated: ${notSimulated.length} (${pct(notSimulated.length, STD_FNS.length)})`);
  for (const [fam, c] of byFamily) t.diagnostic(`  ${fam}: ${c.not} of ${c.total} not simulated`);
  for (const line of notSimulated) t.diagnostic(`  not simulated ${line}`);
  assert.ok(notSimulated.length < STD_FNS.length / 5, `${notSimulated.length} of ${STD_FNS.length} not simulated`);
});
