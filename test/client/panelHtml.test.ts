/**
 * The memory panel's page (client/src/panelHtml.ts): its Content-Security-Policy, nonce and
 * markup, as the extension serves it (the browser test loads the same page in Chromium).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce, panelCsp, panelHtml } from '../../client/src/panelHtml';

const opts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://x/dist/webview.js',
  styleUri: 'https://x/dist/webview.css',
};

test('CSP: nothing by default, scripts only with the nonce, styles and images only from the extension', () => {
  const html = panelHtml({ ...opts, nonce: 'abc123' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.equal(csp, `default-src 'none'; img-src ${opts.cspSource} data:; style-src ${opts.cspSource}; script-src 'nonce-abc123'`);
  assert.equal(csp, panelCsp(opts.cspSource, 'abc123'));
  assert.ok(!/unsafe-inline|unsafe-eval/.test(csp!));
});

test('one script, carrying the nonce; no inline script, style or handler', () => {
  const html = panelHtml({ ...opts, nonce: 'n0nce' });
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0][1], /nonce="n0nce"/);
  assert.match(scripts[0][1], /src="https:\/\/x\/dist\/webview\.js"/);
  assert.equal(scripts[0][2].trim(), '', 'no inline code');
  assert.ok(!/<style\b/.test(html), 'no <style> element');
  assert.ok(!/\sstyle=/.test(html), 'no style attribute');
  assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handler');
  assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/dist\/webview\.css">/);
});

test('nonces come from the CSPRNG: 16 bytes, base64, fresh each page', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const n = makeNonce();
    assert.equal(Buffer.from(n, 'base64').length, 16);
    seen.add(n);
  }
  assert.equal(seen.size, 50);
  const a = /nonce-([^']+)'/.exec(panelHtml(opts))![1];
  const b = /nonce-([^']+)'/.exec(panelHtml(opts))![1];
  assert.notEqual(a, b, 'a default nonce per page');
});

test('URIs are attribute-escaped', () => {
  const html = panelHtml({ ...opts, scriptUri: 'https://x/a"b<c>.js', nonce: 'n' });
  assert.ok(html.includes('src="https://x/a&quot;b&lt;c&gt;.js"'));
});
