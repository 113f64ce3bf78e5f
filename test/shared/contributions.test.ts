/**
 * package.json declares the settings and commands that `shared/settings.ts` and
 * `shared/commands.ts` define: the same keys, defaults, allowed values and ids, both ways.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures';
import { SETTINGS, SETTINGS_SECTION, DEFAULT_SETTINGS, settingsFromObject } from '../../shared/settings';
import { COLORS, COMMANDS, MEMORY_PANEL_VIEW_TYPE, SNAPSHOT_TEXT_LANGUAGE } from '../../shared/commands';
import { existsSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));

test('every setting in shared/settings.ts is contributed with the same default and values, and no other', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; enum?: unknown[] }>;
  const declared = Object.keys(props).sort();
  assert.deepEqual(
    declared,
    Object.keys(SETTINGS)
      .map((k) => `${SETTINGS_SECTION}.${k}`)
      .sort(),
  );
  for (const [key, spec] of Object.entries(SETTINGS)) {
    const p = props[`${SETTINGS_SECTION}.${key}`];
    assert.deepEqual(p.default, spec.default, `default of ${key}`);
    if ('values' in spec) assert.deepEqual(p.enum, [...spec.values], `values of ${key}`);
    else assert.equal(p.enum, undefined, `${key} has no enum in shared/settings.ts`);
  }
});

test('every command id is contributed, and every contributed command is in shared/commands.ts', () => {
  const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(COMMANDS).sort());
  const activation = pkg.activationEvents as string[];
  for (const id of Object.values(COMMANDS).filter((c) => c !== COMMANDS.showLog && c !== COMMANDS.restartServer)) {
    assert.ok(activation.includes(`onCommand:${id}`), `activation event for ${id}`);
  }
  assert.ok(activation.includes(`onWebviewPanel:${MEMORY_PANEL_VIEW_TYPE}`));
  assert.ok((pkg.contributes.languages as { id: string }[]).some((l) => l.id === SNAPSHOT_TEXT_LANGUAGE));
});

test('every colour in shared/commands.ts is contributed with defaults for every theme kind, and no other', () => {
  const colors = pkg.contributes.colors as { id: string; defaults: Record<string, string> }[];
  assert.deepEqual(colors.map((c) => c.id).sort(), Object.values(COLORS).sort());
  for (const c of colors) assert.deepEqual(Object.keys(c.defaults).sort(), ['dark', 'highContrast', 'highContrastLight', 'light'], c.id);
});

test('the gutter arrows of stepping ship with the extension', () => {
  const ignore = readFileSync(join(repoRoot(), '.vscodeignore'), 'utf8');
  assert.match(ignore, /^!media\/\*\.svg$/m);
  for (const f of ['step-executed.svg', 'step-next.svg']) assert.ok(existsSync(join(repoRoot(), 'media', f)), f);
});

test('settings are read defensively: missing or mistyped values give the defaults', () => {
  assert.deepEqual(settingsFromObject(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(settingsFromObject({ diagnostics: { enable: 'no', severity: 'loud' } }), DEFAULT_SETTINGS);
  const s = settingsFromObject({ diagnostics: { enable: false, severity: 'hint' }, hover: { enable: false } });
  assert.equal(s.diagnostics.enable, false);
  assert.equal(s.diagnostics.severity, 'hint');
  assert.equal(s.hover.enable, false);
  assert.equal(s.panel.followCursor, true);
  assert.equal(s.panel.detail, 'learner');
  assert.equal(settingsFromObject({ panel: { detail: 'expert' } }).panel.detail, 'expert');
  assert.equal(settingsFromObject({ panel: { detail: 'guru' } }).panel.detail, 'learner');
});
