/**
 * The pipeline's direction as a checked fact (run by `npm test` via `npm run lint:deps`):
 *
 *   base ─▶ hir ─▶ syntax (lowering) ─▶ std ─▶ mir ─▶ borrowck / layout / interp ─▶ engine ─▶ ide ─▶ lsp / cli
 *
 * (`hir/` and `std/` read each other's types and facts: method resolution is in `hir/method.ts`,
 * std signatures are written in `hir/ty.ts` types; no file cycle), the std simulations
 * (`std/sim/`) are the interpreter's only, inside lsp/ the main thread (server, analysisHost,
 * features) reaches the analysis only through the worker's messages (lsp/worker/protocol.ts),
 * and only `shared/` crosses between the client, the
 * server and the webview.
 */
const later = (stage, laterStages) => ({
  name: `${stage}-not-to-later-stages`,
  comment: `server/src/${stage} is an earlier stage than ${laterStages.join(', ')}: data flows one way.`,
  severity: 'error',
  from: { path: `^server/src/${stage}/` },
  to: { path: `^server/src/(${laterStages.join('|')})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles hide which layer owns what.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    later('base', ['hir', 'syntax', 'std', 'mir', 'borrowck', 'layout', 'interp', 'engine', 'ide', 'lsp', 'cli']),
    later('hir', ['syntax', 'mir', 'borrowck', 'layout', 'interp', 'engine', 'ide', 'lsp', 'cli']),
    later('syntax', ['mir', 'borrowck', 'layout', 'interp', 'engine', 'ide', 'lsp', 'cli']),
    later('std', ['syntax', 'mir', 'borrowck', 'engine', 'ide', 'lsp', 'cli']),
    later('mir', ['syntax', 'borrowck', 'interp', 'engine', 'ide', 'lsp', 'cli']),
    later('layout', ['syntax', 'mir', 'borrowck', 'interp', 'engine', 'ide', 'lsp', 'cli']),
    later('borrowck', ['syntax', 'interp', 'engine', 'ide', 'lsp', 'cli']),
    later('interp', ['syntax', 'borrowck', 'engine', 'ide', 'lsp', 'cli']),
    later('engine', ['ide', 'lsp', 'cli']),
    later('ide', ['lsp', 'cli']),
    later('lsp', ['cli']),
    later('cli', ['lsp']),
    {
      name: 'lsp-main-thread-not-to-analysis',
      comment:
        "The language server's main thread only speaks LSP: analyses and queries run in the analysis worker (server/src/lsp/worker/), reached through analysisHost.ts.",
      severity: 'error',
      from: { path: '^server/src/lsp/(server|analysisHost|features/)' },
      to: { path: '^server/src/(engine|ide|syntax|hir|std|mir|borrowck|layout|interp)/|^server/src/lsp/(documents|worker/(?!protocol))' },
    },
    {
      name: 'lsp-worker-not-to-connection',
      comment: 'The analysis worker has no LSP connection: it talks to the main thread with messages (worker/protocol.ts).',
      severity: 'error',
      from: { path: '^server/src/lsp/worker/' },
      to: { path: '^server/src/lsp/(server|analysisHost|features/)|node_modules/vscode-languageserver/' },
    },
    {
      name: 'std-facts-not-to-interp',
      comment: 'What std types are (facts, signatures, layout) does not depend on how the interpreter runs them.',
      severity: 'error',
      from: { path: '^server/src/std/', pathNot: '\\.sim\\.ts$|^server/src/std/sim/' },
      to: { path: '^server/src/interp/' },
    },
    {
      name: 'std-sim-only-for-interp',
      comment: 'The simulations of std methods run inside the interpreter; other stages read std facts, not simulations.',
      severity: 'error',
      from: { path: '^server/src/', pathNot: '^server/src/(interp|std/sim)/' },
      to: { path: '^server/src/std/sim/' },
    },
    {
      name: 'client-only-via-shared',
      comment: 'The client talks to the server and the webview through shared/ only.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|webview)/' },
    },
    {
      name: 'webview-only-via-shared',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: '^(server|client)/' },
    },
    {
      name: 'server-only-via-shared',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(client|webview)/' },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'shared/ is imported by the others and imports none of them.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|client|webview|test)/' },
    },
    {
      name: 'products-not-to-tests',
      severity: 'error',
      from: { path: '^(server|client|webview|shared)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules)/' },
    // Type-only imports count: a layer that names a later layer's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
  },
};
