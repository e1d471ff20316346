#!/usr/bin/env node
// The installed `vibes`: oclif over dist/cli/vibes.js, the one bundled file that holds every command
// and oclif itself (`npm run build`: scripts/bundle-cli.mjs, then oclif.manifest.json).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// `vibes --version` answers without loading oclif (most of a quick command's start), in oclif's format.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  process.stdout.write(`vibes/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
  process.exit(0);
}
const bundle = join(root, 'dist', 'cli', 'vibes.js');
if (!existsSync(bundle)) {
  console.error(`vibes: the CLI is not built yet: run \`npm run build\` in ${root}`);
  process.exit(1);
}

// Loaded before oclif asks for the commands in it, so oclif finds it loaded (a module importing
// itself while it still runs would wait for itself).
const { execute } = await import(pathToFileURL(bundle).href);
await execute({ loadOptions: { root }, development: false });
