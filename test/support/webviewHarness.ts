/**
 * Serves the memory panel's page to a headless Chromium exactly as the extension builds it
 * (client/src/panelHtml.ts: same markup, same CSP with a fresh nonce, dist/webview.js and
 * dist/webview.css), from a loopback HTTP server that plays `webview.cspSource`.
 *
 * `acquireVsCodeApi` is stubbed by an init script (VS Code's host injects the real one the same
 * way, before the page's scripts): posted messages go to `window.__posted`, state to
 * `window.__state`. CSP violations are collected in `window.__violations`.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { panelHtml } from '../../client/src/panelHtml';
import type { PanelState } from '../../shared/panelMessages';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags CI runs Chromium with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface Harness {
  origin: string;
  pageUrl: string;
  close(): Promise<void>;
}

/** Starts the server; `dist` is the bundle folder (dist/webview.js, dist/webview.css). */
export async function startHarness(dist: string): Promise<Harness> {
  const files: Record<string, string> = {
    '/dist/webview.js': 'text/javascript; charset=utf-8',
    '/dist/webview.css': 'text/css; charset=utf-8',
  };
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/panel.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(panelHtml({ cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css` }));
      return;
    }
    const type = files[url.pathname];
    if (!type) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(fs.readFileSync(path.join(dist, path.basename(url.pathname))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: `${origin}/panel.html`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The init script: the VS Code API stub, with an optional saved state (a window reload). */
export function stubScript(state?: PanelState): string {
  return `(() => {
  window.__posted = [];
  window.__state = ${JSON.stringify(state ?? null)} || undefined;
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
    };
  };
})();`;
}

/** VS Code theme variables (a subset of Dark Modern / Light Modern / High Contrast) for screenshots. */
export const THEMES: Record<'light' | 'dark' | 'high-contrast', { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'editor-background': '#ffffff',
      'editor-foreground': '#3b3b3b',
      foreground: '#3b3b3b',
      descriptionForeground: '#717171',
      'editorWidget-background': '#f8f8f8',
      'editorWidget-border': '#c8c8c8',
      'editorGroupHeader-tabsBackground': '#f0f0f0',
      'textLink-foreground': '#005fb8',
      'charts-orange': '#d18616',
      'charts-purple': '#652d90',
      'charts-green': '#388a34',
      'symbolIcon-functionForeground': '#652d90',
      'symbolIcon-variableForeground': '#007acc',
      focusBorder: '#005fb8',
      errorForeground: '#f85149',
      disabledForeground: 'rgba(97, 97, 97, 0.5)',
      'editorWarning-foreground': '#bf8803',
      'editor-selectionHighlightBackground': 'rgba(173, 214, 255, 0.5)',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'panel-border': '#e5e5e5',
      'textBlockQuote-background': '#f8f8f8',
      'font-family': 'system-ui, sans-serif',
      'editor-font-family': 'monospace',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'editor-background': '#1f1f1f',
      'editor-foreground': '#cccccc',
      foreground: '#cccccc',
      descriptionForeground: '#9d9d9d',
      'editorWidget-background': '#202020',
      'editorWidget-border': '#454545',
      'editorGroupHeader-tabsBackground': '#181818',
      'textLink-foreground': '#4daafc',
      'charts-orange': '#d18616',
      'charts-purple': '#b180d7',
      'charts-green': '#89d185',
      'symbolIcon-functionForeground': '#b180d7',
      'symbolIcon-variableForeground': '#75beff',
      focusBorder: '#0078d4',
      errorForeground: '#f85149',
      disabledForeground: 'rgba(204, 204, 204, 0.5)',
      'editorWarning-foreground': '#cca700',
      'editor-selectionHighlightBackground': 'rgba(173, 214, 255, 0.15)',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'panel-border': '#2b2b2b',
      'textBlockQuote-background': '#2b2b2b',
      'font-family': 'system-ui, sans-serif',
      'editor-font-family': 'monospace',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'editor-background': '#000000',
      'editor-foreground': '#ffffff',
      foreground: '#ffffff',
      descriptionForeground: 'rgba(255, 255, 255, 0.7)',
      'editorWidget-background': '#0c141f',
      contrastBorder: '#6fc3df',
      'editorGroupHeader-tabsBackground': '#000000',
      'textLink-foreground': '#21a6ff',
      'charts-orange': '#d18616',
      'charts-purple': '#b180d7',
      'charts-green': '#89d185',
      'symbolIcon-functionForeground': '#b180d7',
      'symbolIcon-variableForeground': '#75beff',
      focusBorder: '#f38518',
      errorForeground: '#f48771',
      disabledForeground: '#a5a5a5',
      'editorWarning-foreground': '#ffd370',
      'editor-selectionHighlightBackground': 'rgba(255, 255, 255, 0.2)',
      'button-secondaryBackground': '#000000',
      'button-secondaryForeground': '#ffffff',
      'button-border': '#6fc3df',
      'textBlockQuote-background': '#000000',
      'font-family': 'system-ui, sans-serif',
      'editor-font-family': 'monospace',
    },
  },
};
