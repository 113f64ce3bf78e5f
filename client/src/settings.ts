/**
 * The `rustMemory.*` settings as the client reads them (keys and defaults: `shared/settings.ts`).
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION, settingsFrom, type RustMemorySettings } from '../../shared/settings';

/** The settings for a resource (or the window when none is given). */
export function settingsFor(uri?: vscode.Uri): RustMemorySettings {
  const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION, uri);
  return settingsFrom((key) => cfg.get(key));
}
