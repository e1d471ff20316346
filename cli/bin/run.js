#!/usr/bin/env node
// The installed `vibes`: oclif over the compiled commands in dist/, no TypeScript at run time.
// `npm run build` writes oclif.manifest.json, so oclif imports only the command it runs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execute } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(join(root, 'dist', 'cli', 'commands'))) {
  console.error(`vibes: the CLI is not built yet: run \`npm run build\` in ${root}`);
  process.exit(1);
}

await execute({ loadOptions: { root }, development: false });
