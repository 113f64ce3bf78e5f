/**
 * Command ids and other contribution ids, written once. `package.json` contributes the same ids
 * (a test checks that every id here is contributed and every contributed one is here).
 */
export const COMMANDS = {
  openMemoryPanel: 'rustMemory.openMemoryPanel',
  exportSvg: 'rustMemory.exportSvg',
  showMemoryAsText: 'rustMemory.showMemoryAsText',
  showLog: 'rustMemory.showLog',
  restartServer: 'rustMemory.restartServer',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/**
 * Theme colours the extension contributes (package.json `contributes.colors`, with defaults for
 * light, dark and high-contrast themes): the stepping marks in the editor (the line just
 * executed, the next one), the code revealed by a click in the panel, and the lifetime of the
 * binding at the cursor (live, shared and mutable borrows, move, drop: `client/src/lifetimes.ts`).
 */
export const COLORS = {
  executedLine: 'rustMemory.executedLineBackground',
  nextLine: 'rustMemory.nextLineBackground',
  revealedBackground: 'rustMemory.revealedCodeBackground',
  revealedBorder: 'rustMemory.revealedCodeBorder',
  lifetimeLive: 'rustMemory.lifetimeLive',
  lifetimeShared: 'rustMemory.lifetimeSharedBorrow',
  lifetimeMut: 'rustMemory.lifetimeMutableBorrow',
  lifetimeMove: 'rustMemory.lifetimeMove',
  lifetimeDrop: 'rustMemory.lifetimeDrop',
} as const;

/** The memory panel's webview type (its serializer is registered under it). */
export const MEMORY_PANEL_VIEW_TYPE = 'rustMemory.memoryPanel';

/** The URI scheme of the read-only "Show Memory as Text" documents. */
export const SNAPSHOT_TEXT_SCHEME = 'rust-memory-snapshot';

/** The language id of those documents (its grammar is in `syntaxes/`). */
export const SNAPSHOT_TEXT_LANGUAGE = 'rust-memory-snapshot';
