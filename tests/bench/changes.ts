// GET /changes for a repository of 20,000 files with 300 changed: the first answer (target
// ≤ 500 ms), a warm recount, and an answer from the last second's count.
// node --import tsx tests/bench/changes.ts
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { git } from '../support/git-repo.ts';
import { startServerProcess } from '../support/server-process.ts';

const FILES = 20_000;
const PER_DIR = 100;
const MODIFIED = 250;
const ADDED = 50;
const token = randomBytes(24).toString('hex');

const root = mkdtempSync(join(tmpdir(), 'vibes-bench-changes-'));
const pathOf = (index: number) => `src/dir${String(Math.floor(index / PER_DIR)).padStart(3, '0')}/file${index % PER_DIR}.ts`;
const built = Date.now();
for (let index = 0; index < FILES; index++) {
  const path = join(root, pathOf(index));
  if (index % PER_DIR === 0) mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `export const value${index} = ${index};\n// line two\n// line three\n`);
}
git(root, 'init', '-q');
git(root, 'add', '-A');
git(root, 'commit', '-qm', 'twenty thousand files');
for (let n = 0; n < MODIFIED; n++) writeFileSync(join(root, pathOf(n * 79)), `export const changed${n} = true;\n// line two\n`);
for (let n = 0; n < ADDED; n++) writeFileSync(join(root, `src/new${n}.ts`), `export const added${n} = ${n};\n`);
console.log(
  `repository: ${FILES} files, ${MODIFIED} modified + ${ADDED} untracked, built in ${((Date.now() - built) / 1000).toFixed(1)} s`,
);

const server = await startServerProcess({ env: { VIBES_TOKEN: token, VIBES_RATE_LIMIT_PER_SECOND: '1000' } });
try {
  const api = new ApiClient({ baseUrl: server.url, token, clientId: 'bench' });
  const session = await api.createSession({ name: 'changes bench', cwd: root });
  const timed = async <T>(call: () => Promise<T>): Promise<[number, T]> => {
    const started = performance.now();
    const result = await call();
    return [performance.now() - started, result];
  };
  const [first, changes] = await timed(() => api.changes(session.id));
  if (changes.files.length !== MODIFIED + ADDED) throw new Error(`expected ${MODIFIED + ADDED} files, got ${changes.files.length}`);
  const [reused] = await timed(() => api.changes(session.id));
  const recounts: number[] = [];
  for (let round = 0; round < 5; round++) {
    // Past the second in which a count is reused: each of these counts again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    recounts.push((await timed(() => api.changes(session.id)))[0]);
  }
  const heads: number[] = [];
  for (let round = 0; round < 3; round++) heads.push((await timed(() => api.changes(session.id, 'head')))[0]);
  const [diff] = await timed(() => api.fileDiff(session.id, pathOf(79)));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(`GET /changes, first answer: ${ms(first)} (target ≤ 500 ms)`);
  console.log(`GET /changes, within a second of a count (reused): ${ms(reused)}`);
  console.log(`GET /changes, warm recount: ${recounts.map(ms).join(', ')}; median ${ms(median(recounts))}`);
  console.log(`GET /changes?base=head (always counted): median ${ms(median(heads))}`);
  console.log(`GET /changes/diff of one file: ${ms(diff)}`);
} finally {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
}
