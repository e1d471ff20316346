/**
 * The rooms of docs/architecture.md, checked on every import: static, `import type`, `export from`
 * and `import()`, from any depth of folder. `npm run lint` runs it (and .dependency-cruiser-bundle.mjs).
 * @type {import('dependency-cruiser').IConfiguration}
 */
const room = (name) => `^lib/${name}/`;
const FRAMEWORKS = '^node_modules/(next|react|react-dom)/';
/** Every kind of package dependency (installed or not, declared or not); `core` is a Node built-in. */
const PACKAGE = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

export default {
  forbidden: [
    {
      name: 'protocol-imports-nothing-of-ours',
      comment: 'lib/protocol holds wire shapes only: zod and nothing of ours above it.',
      severity: 'error',
      from: { path: room('protocol') },
      to: { path: [room('(core|server|client|local)'), '^(app|cli)/', FRAMEWORKS] },
    },
    {
      name: 'core-is-plain-node',
      comment: 'lib/core is the domain: no Next, no React, no HTTP layer, no clients.',
      severity: 'error',
      from: { path: room('core') },
      to: { path: [room('(server|client)'), '^(app|cli)/', FRAMEWORKS] },
    },
    {
      name: 'server-serves-core',
      comment: 'lib/server wraps the core in HTTP; it never needs a client, a page or a command.',
      severity: 'error',
      from: { path: room('server') },
      to: { path: [room('client'), '^(app|cli)/'] },
    },
    {
      name: 'local-is-this-machine',
      comment:
        'lib/local holds what the server and the CLI on one machine agree on (home, server.json, QR): Node only, no domain, no HTTP.',
      severity: 'error',
      from: { path: room('local') },
      to: { path: [room('(core|server|client)'), '^(app|cli)/', FRAMEWORKS] },
    },
    {
      name: 'core-knows-no-install',
      comment: 'The domain does not know where vibes is installed or how it is reached.',
      severity: 'error',
      from: { path: room('core') },
      to: { path: room('local') },
    },
    {
      name: 'client-speaks-http-only',
      comment: 'lib/client reaches the server through the HTTP API only.',
      severity: 'error',
      from: { path: room('client') },
      to: { path: [room('(core|server|local)'), '^(app|cli)/'] },
    },
    {
      name: 'client-web-is-browser-code',
      comment: 'lib/client/web runs in the browser: no Node-only client code, no Node built-ins.',
      severity: 'error',
      from: { path: '^lib/client/web/' },
      to: { path: '^lib/client/node/' },
    },
    {
      name: 'client-shared-runs-anywhere',
      comment: 'lib/client/shared runs in the browser and in Node alike.',
      severity: 'error',
      from: { path: '^lib/client/shared/' },
      to: { path: '^lib/client/(node|web)/' },
    },
    {
      name: 'cli-through-client',
      comment: 'The CLI goes through lib/client and the HTTP API, never lib/core or lib/server, and never the web code.',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: [room('(core|server)'), '^lib/client/web/', '^app/'] },
    },
    {
      name: 'web-through-client',
      comment: 'The dashboard never pulls in lib/core or lib/server (child processes, sqlite), nor Node-only client code.',
      severity: 'error',
      from: { path: '^app/', pathNot: '^app/api/' },
      to: { path: [room('(core|server|local)'), '^lib/client/node/', '^cli/'] },
    },
    {
      name: 'handlers-through-runtime',
      comment: 'Route handlers reach the core only through the runtime accessor in lib/server.',
      severity: 'error',
      from: { path: '^app/api/' },
      to: { path: [room('core'), room('client'), '^cli/', '^app/(?!api/)'] },
    },
    {
      name: 'protocol-is-plain-data',
      comment: 'lib/protocol runs in every room, the browser included: no Node built-in.',
      severity: 'error',
      from: { path: room('protocol') },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'protocol-needs-only-zod',
      comment: 'lib/protocol holds wire shapes: zod is its one package.',
      severity: 'error',
      from: { path: room('protocol') },
      to: { dependencyTypes: PACKAGE, pathNot: '^node_modules/zod/' },
    },
    {
      name: 'client-shared-is-plain-js',
      comment: 'lib/client/shared runs in the browser and in Node alike: no Node built-in.',
      severity: 'error',
      from: { path: '^lib/client/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'client-shared-packages',
      comment: 'lib/client/shared takes only packages that run anywhere: diff (a patch, for the work views).',
      severity: 'error',
      from: { path: '^lib/client/shared/' },
      to: { dependencyTypes: PACKAGE, pathNot: '^node_modules/diff/' },
    },
    {
      name: 'client-web-no-node-built-ins',
      comment: 'lib/client/web runs in the browser only.',
      severity: 'error',
      from: { path: '^lib/client/web/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'web-no-node-built-ins',
      comment:
        'The dashboard runs in the browser: no Node built-in (a package that pulls one in is caught by .dependency-cruiser-bundle.mjs).',
      severity: 'error',
      from: { path: '^app/', pathNot: '^app/api/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular',
      comment: 'Arrows run one way.',
      severity: 'error',
      from: { path: '^(lib|app|cli)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^\\.next/', '^dist/'] },
    // Type-only imports count here: a room may not even name another's types.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
