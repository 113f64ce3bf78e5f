/**
 * Messages between the extension (client/src/memoryPanel.ts) and the memory panel's webview
 * (webview/src/main.ts), declared once for both sides. Types only: nothing here runs.
 *
 * Extension → webview: `ToWebview`. Webview → extension: `FromWebview`.
 */
import type { Range, Snapshot } from './protocol';

export type ToWebview =
  /** Draw this snapshot (it replaces the previous one and is kept in the webview's saved state). */
  | { type: 'snapshot'; snapshot: Snapshot; file?: string }
  /** A request for a new snapshot is in flight (the panel dims the old picture). */
  | { type: 'busy' };

export type FromWebview =
  /** The page has loaded and listens; the extension answers with the current snapshot. */
  | { type: 'ready' }
  /** Step to the previous (-1) or next (+1) event from the one shown. */
  | { type: 'step'; delta: -1 | 1 }
  /** Show the given 1-based visit of the cursor's line. */
  | { type: 'visit'; visit: number }
  /** Reveal the source that created a slot, block or static (the range is 0-based LSP). */
  | { type: 'reveal'; id: string; range: Range }
  /** Export the current picture as an SVG file. */
  | { type: 'exportSvg' };

/** What the webview keeps with `vscode.setState` to survive a reload. */
export interface PanelState {
  snapshot?: Snapshot;
  file?: string;
}
