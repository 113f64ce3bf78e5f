/**
 * Messages between the extension (client/src/memoryPanel.ts) and the memory panel's webview
 * (webview/src/main.ts), declared once for both sides. Types only: nothing here runs.
 *
 * Extension → webview: `ToWebview`. Webview → extension: `FromWebview`.
 */
import type { Range, Snapshot } from './protocol';
import type { DetailSetting } from './settings';

export type ToWebview =
  /**
   * Draw this snapshot (it replaces the previous one and is kept in the webview's saved state).
   * A snapshot with status `syntax-error` keeps the last good picture of the same `file`, dimmed.
   */
  | { type: 'snapshot'; snapshot: Snapshot; file?: string }
  /** A request for a new snapshot is in flight (the panel dims the old picture). */
  | { type: 'busy' }
  /** The `rustMemory.panel.detail` setting (sent on start and when it changes). */
  | { type: 'settings'; detail: DetailSetting };

export type FromWebview =
  /** The page has loaded and listens; the extension answers with the settings and the current snapshot. */
  | { type: 'ready' }
  /**
   * Show step `step` (0-based) of the trace the current picture belongs to: the slider, the
   * first/previous/next/last buttons and the keyboard.
   */
  | { type: 'goto'; step: number }
  /** Show the given 1-based visit of the cursor's line. */
  | { type: 'visit'; visit: number }
  /** Reveal the source that created a slot, block or static, or an error's range (0-based LSP). */
  | { type: 'reveal'; id: string; range: Range }
  /** The Learner/Expert toggle: the extension stores it in `rustMemory.panel.detail`. */
  | { type: 'detail'; detail: DetailSetting }
  /** Export the current picture as an SVG file, as the panel draws it. */
  | { type: 'exportSvg'; detail: DetailSetting; expanded: string[] };

/** What the webview keeps with `vscode.setState` to survive a reload. */
export interface PanelState {
  /** The last snapshot with a picture (a `syntax-error` one does not replace it). */
  snapshot?: Snapshot;
  file?: string;
  /** The detail level shown, the slots opened in the learner view, and the zoom (`fit` or a scale). */
  detail?: DetailSetting;
  expanded?: string[];
  zoom?: 'fit' | number;
}
