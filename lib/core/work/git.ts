import { spawn } from 'node:child_process';

export interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout went past `maxBytes` and the process was stopped. */
  truncated: boolean;
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/**
 * Runs git in `cwd` the way vibes always does: without optional locks (Claude's own git commands
 * never meet ours), without the repository's external diff, text conversion or fsmonitor hooks,
 * with literal pathspecs and the server's GIT_DIR and friends left out. Past `maxBytes` of stdout, git is ended.
 */
export function runGit(cwd: string, args: readonly string[], maxBytes = DEFAULT_MAX_BYTES): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn('git', ['--no-optional-locks', '-c', 'core.quotepath=off', '-c', 'core.fsmonitor=false', ...args], {
      cwd,
      env: gitEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let truncated = false;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    timer.unref();
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      bytes += chunk.length;
      if (bytes > maxBytes) {
        truncated = true;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    const finish = (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(chunks).toString('utf8'), stderr: stderr.trim(), truncated });
    };
    child.once('error', (error) => {
      stderr = error.message;
      finish(null);
    });
    child.once('close', (code) => finish(code));
  });
}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_OPTIONAL_LOCKS: '0',
    GIT_LITERAL_PATHSPECS: '1',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_PREFIX'])
    delete env[name];
  return env;
}

/** One git process at a time: each task waits for the one before it. */
export class GitQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(task, task);
    this.#tail = next.catch(() => {});
    return next;
  }
}
