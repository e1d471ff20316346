// `npm start` builds first when the production build is missing or older than the sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const inputs = [
  'app',
  'lib',
  'cli',
  'public',
  'next.config.mjs',
  'tailwind.config.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
];
const outputs = ['.next/BUILD_ID', 'dist/lib/server/main.js', 'dist/cli/vibes.js', 'oclif.manifest.json'];

const newest = (path) => {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
};

const builtAt = Math.min(...outputs.map((output) => (existsSync(join(root, output)) ? statSync(join(root, output)).mtimeMs : 0)));
const changedAt = Math.max(...inputs.map((input) => newest(join(root, input))));
if (builtAt === 0 || changedAt > builtAt) {
  console.log('vibes: building the production server first (npm run build)');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
}
