/**
 * The memory panel's HTML page, as a pure function (no VS Code API), so that the extension
 * (`memoryPanel.ts`) and the browser test (test/webview.browser.test.ts) load exactly the same
 * page.
 *
 * Content-Security-Policy: nothing by default; scripts only with this page's nonce; styles and
 * images only from the extension (`cspSource`). No inline handlers anywhere: the controller
 * (webview/src/main.ts) wires the controls with `addEventListener`.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin that serves the extension's files to the webview. */
  cspSource: string;
  /** URI of dist/webview.js and dist/webview.css as the webview sees them. */
  scriptUri: string;
  styleUri: string;
  /** Script nonce; fresh per page. Default: `makeNonce()`. */
  nonce?: string;
}

/** A CSP nonce: 16 bytes from the OS's CSPRNG, base64 (never `Math.random`). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page's Content-Security-Policy for a given `cspSource` and nonce. */
export function panelCsp(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; script-src 'nonce-${nonce}'`;
}

/** The full HTML document of the memory panel. */
export function panelHtml(o: PanelHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(o.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Rust Memory</title>
</head>
<body>
<header class="toolbar">
  <div id="where" class="where" role="status" aria-live="polite"></div>
  <div class="controls">
    <button id="prev" type="button" title="Show the previous event (←)" aria-label="Previous event">&#x25C0; Prev</button>
    <span id="step" class="step"></span>
    <button id="next" type="button" title="Show the next event (→)" aria-label="Next event">Next &#x25B6;</button>
    <span id="visit-controls" class="visit-controls" hidden>
      <button id="visit-prev" type="button" title="Previous visit of this line" aria-label="Previous visit">&#x2039;</button>
      <select id="visit-select" title="This line runs several times: choose which visit to show" aria-label="Visit"></select>
      <button id="visit-next" type="button" title="Next visit of this line" aria-label="Next visit">&#x203A;</button>
    </span>
    <button id="export" type="button" title="Export the diagram as an SVG file">Export SVG</button>
  </div>
</header>
<div id="notice" class="notice" role="alert" hidden></div>
<main id="diagram" class="diagram" hidden></main>
<section id="details" class="details" hidden>
  <h2>This step</h2>
  <ol id="events" class="events"></ol>
  <ul id="unknowns" class="unknowns"></ul>
</section>
<script nonce="${attr(nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
