/**
 * The `rustMemory.*` settings: keys, allowed values and defaults, written once. The client reads
 * them with `workspace.getConfiguration`, the server pulls them with `workspace/configuration`;
 * `package.json` declares them for VS Code's settings UI, and a test checks that it agrees.
 */

/** The configuration section every key below lives in. */
export const SETTINGS_SECTION = 'rustMemory';

/**
 * How much the memory panel (and its SVG export) shows: `learner` draws values inline (a
 * `String` as its text with an arrow to its bytes, ptr/len/cap on demand, moved-from and
 * dropped bindings on one line); `expert` shows every field, size and byte count.
 */
export type DetailSetting = 'learner' | 'expert';

/** How the client shows our squiggles: as rustc says (`default`) or at a fixed severity. */
export type SeveritySetting = 'default' | 'error' | 'warning' | 'information' | 'hint';

/** Every setting: its key (without the section), its default and, for enums, its values. */
export const SETTINGS = {
  'diagnostics.enable': { default: true },
  'diagnostics.severity': {
    default: 'default' as SeveritySetting,
    values: ['default', 'error', 'warning', 'information', 'hint'] as const,
  },
  'hover.enable': { default: true },
  'lifetimes.enable': { default: true },
  'inlayHints.enable': { default: false },
  'panel.followCursor': { default: true },
  'panel.detail': { default: 'learner' as DetailSetting, values: ['learner', 'expert'] as const },
  'trace.server': { default: 'off' as 'off' | 'messages' | 'verbose', values: ['off', 'messages', 'verbose'] as const },
} as const;

export type SettingKey = keyof typeof SETTINGS;

/** The settings as the server and client use them, every field present. */
export interface RustMemorySettings {
  diagnostics: { enable: boolean; severity: SeveritySetting };
  hover: { enable: boolean };
  /** Lifetime highlights of the binding at the cursor, their legend and permissions in hovers. */
  lifetimes: { enable: boolean };
  /** Inlay hints: size and place of each `let`, "moved" markers, permissions (off by default). */
  inlayHints: { enable: boolean };
  panel: { followCursor: boolean; detail: DetailSetting };
  trace: { server: 'off' | 'messages' | 'verbose' };
}

/**
 * The settings from a lookup of dotted keys (`diagnostics.enable`); a missing or mistyped value
 * gives the default. `get` may throw or return anything: it is never trusted.
 */
export function settingsFrom(get: (key: SettingKey) => unknown): RustMemorySettings {
  const read = <K extends SettingKey>(key: K): (typeof SETTINGS)[K]['default'] => {
    const spec = SETTINGS[key];
    let v: unknown;
    try {
      v = get(key);
    } catch {
      v = undefined;
    }
    if (typeof v !== typeof spec.default) return spec.default;
    if ('values' in spec && !(spec.values as readonly unknown[]).includes(v)) return spec.default;
    return v as (typeof SETTINGS)[K]['default'];
  };
  return {
    diagnostics: { enable: read('diagnostics.enable'), severity: read('diagnostics.severity') },
    hover: { enable: read('hover.enable') },
    lifetimes: { enable: read('lifetimes.enable') },
    inlayHints: { enable: read('inlayHints.enable') },
    panel: { followCursor: read('panel.followCursor'), detail: read('panel.detail') },
    trace: { server: read('trace.server') },
  };
}

/** The settings from a nested object as LSP sends it (`{ diagnostics: { enable: false } }`). */
export function settingsFromObject(raw: unknown): RustMemorySettings {
  return settingsFrom((key) => {
    let cur: unknown = raw;
    for (const part of key.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
    return cur;
  });
}

/** Every setting at its default. */
export const DEFAULT_SETTINGS: RustMemorySettings = settingsFrom(() => undefined);
