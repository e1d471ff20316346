// `npm run verify`: every check CI runs, one after the other (typecheck and lint side by side). A stage that fails does not stop
// the others: each still runs and reports, and the summary at the end names what failed.
// `node scripts/verify.mjs unit e2e` runs only the stages named.
import { spawn } from 'node:child_process';

/** Longer than any stage takes here; a stage still running then is ended and counted as failed. */
const STAGE_BOUND_MS = 30 * 60_000;

const STAGES = [
  // tsc and ESLint each keep one core busy: they run side by side, their output held until both end.
  { name: 'typecheck', command: ['npm', 'run', 'typecheck'], alongside: 'lint' },
  { name: 'lint', command: ['npm', 'run', 'lint'], alongside: 'typecheck' },
  // unit, integration, api, cli, install, cluster, real-claude (vitest.config.ts).
  { name: 'vitest', command: ['npx', 'vitest', 'run'], counts: vitestCounts },
  { name: 'e2e', command: ['npx', 'playwright', 'test'], counts: playwrightCounts },
  // The api and cli suites again, every server a one-node cluster on Redis and PostgreSQL.
  { name: 'on-cluster', command: ['npx', 'vitest', 'run', '--config', 'vitest.cluster.config.ts'], counts: vitestCounts },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !STAGES.some((stage) => stage.name === name));
if (unknown.length > 0) {
  console.error(`verify: no stage ${unknown.join(', ')}; the stages are ${STAGES.map((stage) => stage.name).join(', ')}`);
  process.exit(2);
}

const results = [];
const chosen = STAGES.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.name));
for (let index = 0; index < chosen.length; index++) {
  const stage = chosen[index];
  const partner = chosen[index + 1]?.name === stage.alongside ? chosen[++index] : undefined;
  const group = partner ? [stage, partner] : [stage];
  const startedAt = Date.now();
  const outcomes = await Promise.all(group.map((member) => run(member, group.length > 1)));
  group.forEach((member, at) => {
    const { code, output, endedAt } = outcomes[at];
    if (group.length > 1) process.stdout.write(`\n--- verify: ${member.name} (${member.command.join(' ')})\n${output}`);
    const ok = code === 0;
    results.push({
      name: member.name,
      ok,
      seconds: (endedAt - startedAt) / 1000,
      counts: member.counts?.(output),
      why: ok ? [] : whyFailed(output),
    });
  });
}

console.log('\n--- verify: summary');
for (const result of results) {
  const counts = result.counts ? `  ${result.counts.passed} passed, ${result.counts.failed} failed, ${result.counts.skipped} skipped` : '';
  console.log(`${result.ok ? 'ok    ' : 'FAILED'} ${result.name.padEnd(10)} ${result.seconds.toFixed(0).padStart(5)} s${counts}`);
  for (const line of result.why) console.log(`         ${line}`);
}
const failed = results.filter((result) => !result.ok);
const total = { passed: 0, failed: 0, skipped: 0 };
for (const { counts } of results) for (const key of Object.keys(total)) total[key] += counts?.[key] ?? 0;
if (failed.length > 0) console.log(`failed stages: ${failed.map((result) => result.name).join(', ')}`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failed.length > 0 ? 1 : 0);

/** Runs a stage's command in a process group of its own, its output shown as it comes (unless `held`) and kept for the counts. */
function run(stage, held = false) {
  const [command, ...args] = stage.command;
  if (!held) console.log(`\n--- verify: ${stage.name} (${stage.command.join(' ')})`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (stream, target) =>
      stream.on('data', (chunk) => {
        if (!held) target.write(chunk);
        output += chunk.toString('utf8');
      });
    keep(child.stdout, process.stdout);
    keep(child.stderr, process.stderr);
    const bound = setTimeout(() => {
      console.error(`verify: ${command} ${args.join(' ')} still running after ${STAGE_BOUND_MS / 60_000} min: ending it`);
      process.kill(-child.pid, 'SIGKILL');
    }, STAGE_BOUND_MS);
    // A stage's children (servers, browsers) go with it, however it ended.
    const endGroup = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    process.once('exit', endGroup);
    child.once('close', (code, signal) => {
      clearTimeout(bound);
      process.off('exit', endGroup);
      endGroup();
      resolve({ code: code ?? (signal ? 1 : 0), output, endedAt: Date.now() });
    });
  });
}

function plain(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** Vitest's closing line: `Tests  2 failed | 309 passed | 1 skipped (312)`. */
function vitestCounts(output) {
  const line = plain(output)
    .split('\n')
    .findLast((candidate) => /^\s*Tests\s+.*\(\d+\)\s*$/.test(candidate));
  return {
    passed: countIn(line, 'passed'),
    failed: countIn(line, 'failed'),
    skipped: countIn(line, 'skipped') + countIn(line, 'todo'),
  };
}

/** Playwright's list reporter ends with lines such as `  150 passed (3.2m)`, `  2 failed`, `  1 skipped`. */
function playwrightCounts(output) {
  const lines = plain(output).split('\n');
  const count = (word) => {
    const line = lines.findLast((candidate) => new RegExp(`^\\s*\\d+ ${word}\\b`).test(candidate));
    return line ? Number(line.trim().split(' ')[0]) : 0;
  };
  return { passed: count('passed'), failed: count('failed') + count('flaky'), skipped: count('skipped') + count('did not run') };
}

/**
 * The lines that say what failed (failing tests, errors), a few, for the summary: CI may show only the end of a long log,
 * and a stage that failed before any test ran (a port in use) otherwise leaves just a row of zeros there.
 */
function whyFailed(output) {
  const telling = /^(FAIL\b|×|✘|Error\b|\w*Error:|\[[\w-]+\] › )/;
  const lines = plain(output)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => telling.test(line));
  const unique = [...new Set(lines)].map((line) => (line.length > 200 ? `${line.slice(0, 199)}…` : line));
  const shown = unique.slice(0, 8);
  if (unique.length > shown.length) shown.push(`… and ${unique.length - shown.length} more lines like these above`);
  return shown.length > 0 ? shown : ['(no failing test or error line: see its output above)'];
}

function countIn(line, word) {
  const match = line?.match(new RegExp(`(\\d+) ${word}`));
  return match ? Number(match[1]) : 0;
}
