// Bundles the extension client, the language server and its analysis worker, the CLI and the webview.
// esbuild does not type-check: `npm run typecheck` (tsc) runs first in `npm run build`.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** tree-sitter's native bindings load their N-API prebuilds at run time: never bundle them. */
const nodeExternal = ['vscode', 'tree-sitter', 'tree-sitter-rust'];

/**
 * The CLI uses the protocol's types and helpers (`shared/protocol.ts`) but no LSP message:
 * marking the LSP packages free of side effects lets esbuild leave them out of `dist/cli.js`
 * (loading them, with `node:crypto`, was a tenth of the CLI's start-up).
 */
const lspPackagesWithoutSideEffects = {
  name: 'lsp-packages-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /^vscode-languageserver-protocol$/ }, async (args) => {
      if (args.pluginData === 'inner') return undefined;
      const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' });
      return { path: r.path, sideEffects: false };
    });
  },
};

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const builds = [
  {
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: nodeExternal,
  },
  {
    ...common,
    entryPoints: ['server/src/lsp/server.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: nodeExternal,
  },
  // The language server's analysis worker thread (started by server/src/lsp/analysisHost.ts
  // from beside dist/server.js).
  {
    ...common,
    entryPoints: ['server/src/lsp/worker/analysisWorker.ts'],
    outfile: 'dist/analysisWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: nodeExternal,
  },
  {
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    plugins: [lspPackagesWithoutSideEffects],
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: nodeExternal,
  },
  { ...common, entryPoints: ['webview/src/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2020' },
  // The memory panel's page stylesheet (the diagram's CSS is in shared/render/svg.ts).
  { ...common, entryPoints: ['webview/media/panel.css'], outfile: 'dist/webview.css' },
];

const present = (
  await Promise.all(
    builds.map(async (b) => {
      const { existsSync } = await import('node:fs');
      return existsSync(b.entryPoints[0]) ? b : null;
    }),
  )
).filter(Boolean);

if (watch) {
  for (const b of present) (await esbuild.context(b)).watch();
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
}
