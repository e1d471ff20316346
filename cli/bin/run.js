#!/usr/bin/env node
// The installed `vibes`: oclif over the compiled commands in dist/, no TypeScript at run time.
// `npm run build` writes oclif.manifest.json, so oclif imports only the command it runs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// `vibes --version` answers without loading oclif (most of a quick command's start), in oclif's format.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  process.stdout.write(`vibes/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
  process.exit(0);
}
if (!existsSync(join(root, 'dist', 'cli', 'commands'))) {
  console.error(`vibes: the CLI is not built yet: run \`npm run build\` in ${root}`);
  process.exit(1);
}

// oclif's parts, not its index: the index loads every module and semver to check Node's version.
const { execute } = await import('@oclif/core/execute');
await execute({ loadOptions: { root }, development: false });
