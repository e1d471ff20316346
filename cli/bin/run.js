#!/usr/bin/env node
// The installed `vibes`: oclif over the compiled commands in dist/, no TypeScript at run time.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, execute } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const commands = join(root, 'dist', 'cli', 'commands');
if (!existsSync(commands)) {
  console.error(`vibes: the CLI is not built yet: run \`npm run build\` in ${root}`);
  process.exit(1);
}

// With a manifest oclif imports only the command it runs instead of all of them, which is most of
// a quick command's start-up. It records the compiled commands it was made from and is made again
// whenever they change (comparing mtimes alone races with a build that is still writing).
const manifest = join(root, 'oclif.manifest.json');
const newest = (path) => {
  const stats = statSync(path);
  return stats.isDirectory() ? Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name)))) : stats.mtimeMs;
};
const commandsStamp = newest(commands);
const readStamp = () => {
  try {
    return JSON.parse(readFileSync(manifest, 'utf8')).vibesCommandsStamp;
  } catch {
    return undefined;
  }
};
const fresh = readStamp() === commandsStamp;
// oclif reads a manifest file it finds even when told to ignore it: a stale one must go first.
if (!fresh) rmSync(manifest, { force: true });
const config = await Config.load({ root });
if (!fresh) {
  try {
    const plugin = config.getPluginsList().find((candidate) => candidate.root === root);
    const temporary = `${manifest}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ ...plugin.manifest, vibesCommandsStamp: commandsStamp }));
    renameSync(temporary, manifest);
  } catch {
    // A read-only install runs without one, only slower.
  }
}

await execute({ loadOptions: config, development: false });
