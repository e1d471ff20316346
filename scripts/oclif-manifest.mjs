// `npm run build`: writes oclif.manifest.json from the bundled commands (dist/cli/vibes.js) with
// @oclif/core's own loader, so `vibes` knows every command's flags and help without running them. (The `oclif` package's `oclif manifest`
// brings a different @oclif/core and the AWS SDK along; this is the same manifest without them.)
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'oclif.manifest.json');
// oclif reads a manifest it finds while loading: the old one must go first.
rmSync(manifest, { force: true });
const config = await Config.load({ root });
const plugin = config.getPluginsList().find((candidate) => candidate.root === root);
if (!plugin || Object.keys(plugin.manifest.commands).length === 0) {
  console.error('oclif-manifest: found no commands in dist/cli/vibes.js (run node scripts/bundle-cli.mjs first)');
  process.exit(1);
}
writeFileSync(manifest, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
console.log(`oclif-manifest: ${Object.keys(plugin.manifest.commands).length} commands in oclif.manifest.json`);
