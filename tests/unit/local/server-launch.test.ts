import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_ARGS, serverEnv } from '../../../lib/local/server-launch.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

describe('how the server is started', () => {
  it('npm start and npm run demo start it with the same node flags and malloc bound as vibes serve', () => {
    for (const script of ['start', 'demo']) {
      const command = manifest.scripts[script]!;
      expect(command, script).toContain(
        `MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-${serverEnv(env({})).MALLOC_ARENA_MAX}} node ${SERVER_NODE_ARGS.join(' ')} dist/lib/server/main.js`,
      );
    }
  });

  it('bounds the malloc arenas unless the environment already says how many', () => {
    expect(serverEnv(env({ PATH: '/bin' }))).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    expect(serverEnv(env({ MALLOC_ARENA_MAX: '8' })).MALLOC_ARENA_MAX).toBe('8');
  });
});
