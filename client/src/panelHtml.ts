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
  <div class="where-line">
    <div id="where" class="where" role="status" aria-live="polite"></div>
    <span id="visit-controls" class="visit-controls" hidden>
      <button id="visit-prev" type="button" title="Previous visit of this line" aria-label="Previous visit">&#x2039;</button>
      <select id="visit-select" title="This line runs several times: choose which visit to show" aria-label="Visit"></select>
      <button id="visit-next" type="button" title="Next visit of this line" aria-label="Next visit">&#x203A;</button>
    </span>
  </div>
  <div class="controls">
    <div class="stepper" role="group" aria-label="Step through the program">
      <button id="first" type="button" title="First step (Home)" aria-label="First step">|&#x25C0;</button>
      <button id="prev" type="button" title="Previous step (&#x2190;)" aria-label="Previous step">&#x25C0;</button>
      <input id="slider" class="slider" type="range" min="0" max="0" step="1" value="0" aria-label="Step">
      <button id="next" type="button" title="Next step (&#x2192;)" aria-label="Next step">&#x25B6;</button>
      <button id="last" type="button" title="Last step (End)" aria-label="Last step">&#x25B6;|</button>
      <span id="step" class="step"></span>
    </div>
    <div class="view" role="group" aria-label="View">
      <span class="segmented" role="radiogroup" aria-label="Detail">
        <button id="learner" type="button" role="radio" aria-checked="true" title="Values inline; fields on demand">Learner</button>
        <button id="expert" type="button" role="radio" aria-checked="false" title="Every field, size and byte count">Expert</button>
      </span>
      <span class="zoom" role="group" aria-label="Zoom">
        <button id="zoom-out" type="button" title="Zoom out (-)" aria-label="Zoom out">&#x2212;</button>
        <button id="zoom-fit" type="button" title="Fit the picture to the panel (0)" aria-label="Fit to width">Fit</button>
        <button id="zoom-in" type="button" title="Zoom in (+)" aria-label="Zoom in">+</button>
      </span>
      <button id="export" type="button" title="Export the diagram as an SVG file, as shown">Export SVG</button>
    </div>
  </div>
</header>
<div id="notice" class="notice" role="alert" hidden></div>
<div id="errors" class="errors" role="alert" hidden></div>
<main id="diagram" class="diagram" tabindex="0" aria-label="Memory diagram" hidden></main>
<section id="output-box" class="output-box" hidden>
  <h2>Output</h2>
  <pre id="output" class="output"></pre>
</section>
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
