// `npm run build`: bundles the CLI (cli/index.ts: every command, oclif, zod and the client) into
// dist/cli/vibes.js, so `vibes` reads one file instead of resolving ~150 modules at each start.
// What a command imports lazily (the live session view, the QR code) goes into chunks beside it.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'cli', 'index.ts');
const outdir = join(root, 'dist', 'cli');
// Chunk names carry a hash: the last build's must not pile up (nor ship).
rmSync(outdir, { recursive: true, force: true });

/**
 * zod's namespace carries every language's error messages (~360 KB, half the zod the CLI would
 * parse at each start); the CLI speaks English only: `z.locales` keeps just `en`.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

const result = await build({
  entryPoints: { vibes: entry },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.12',
  metafile: true,
  legalComments: 'none',
  // Less to parse at each start; names are kept, so stack traces still read. VIBES_BUNDLE_READABLE=1
  // leaves the layout as written, for a CPU profile.
  minifyWhitespace: !process.env.VIBES_BUNDLE_READABLE,
  minifySyntax: !process.env.VIBES_BUNDLE_READABLE,
  // oclif reaches for TypeScript only to run uncompiled commands, which the bundle never has.
  external: ['typescript', 'ts-node'],
  logLevel: 'warning',
  plugins: [englishOnlyZod],
  // oclif is CommonJS and loads plugins with require(): give the bundle a real one.
  banner: {
    js: "import { createRequire as vibesCreateRequire } from 'node:module';\nconst require = vibesCreateRequire(import.meta.url);",
  },
});

// Every file under cli/commands must be in the bundle, or oclif would never offer it.
const bundled = new Set(Object.keys(result.metafile.inputs));
const commandsDir = join(root, 'cli', 'commands');
const missing = files(commandsDir)
  .map((file) => relative(root, file))
  .filter((file) => file.endsWith('.ts') && !bundled.has(file));
if (missing.length > 0) {
  console.error(`bundle-cli: ${missing.join(', ')} not listed in cli/index.ts`);
  process.exit(1);
}
const size = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`bundle-cli: dist/cli/vibes.js and ${Object.keys(result.metafile.outputs).length - 1} chunks, ${Math.round(size / 1024)} KB`);

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) =>
    item.isDirectory() ? files(join(dir, item.name)) : [join(dir, item.name)],
  );
}
