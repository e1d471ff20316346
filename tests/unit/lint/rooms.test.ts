import { cruise, type IFlattenedRuleSet, type ICruiseResult } from 'dependency-cruiser';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import rooms from '../../../.dependency-cruiser.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');

// A tree shaped like ours whose rooms reach for Node built-ins and packages, cruised with our rules.
const FIXTURE: Record<string, string> = {
  'lib/protocol/wire.ts': `import { readFileSync } from 'node:fs';\nimport { EventSource } from 'eventsource';\nimport { z } from 'zod';\nexport const x = [readFileSync, EventSource, z];\n`,
  'lib/client/shared/words.ts': `import { join } from 'path';\nimport { diffLines } from 'diff';\nexport const x = [join, diffLines];\n`,
  'lib/client/web/stream.ts': `import type { IncomingMessage } from 'node:http';\nexport type X = IncomingMessage;\n`,
  'lib/client/node/stream.ts': `import { request } from 'node:http';\nimport { EventSource } from 'eventsource';\nexport const x = [request, EventSource];\n`,
  'app/_components/clock.tsx': `import { format } from 'node:util';\nexport const x = format;\n`,
  'app/api/health/route.ts': `import { hostname } from 'node:os';\nexport const x = hostname;\n`,
  'lib/core/store.ts': `import { readFileSync } from 'node:fs';\nimport Database from 'better-sqlite3';\nexport const x = [readFileSync, Database];\n`,
};

const dir = mkdtempSync(join(tmpdir(), 'vibes-rooms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the rooms of .dependency-cruiser.mjs', () => {
  it(
    'refuse Node built-ins in protocol, the shared and web clients and the dashboard, and packages beyond their own',
    { timeout: 60_000 },
    async () => {
      for (const [path, text] of Object.entries(FIXTURE)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');

      const result = await cruise(['lib', 'app'], {
        baseDir: dir,
        validate: true,
        ruleSet: { forbidden: rooms.forbidden } as IFlattenedRuleSet,
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: true,
        // The link to our node_modules stays inside the fixture, as the real one is inside the repo.
        preserveSymlinks: true,
      });
      const output = result.output as ICruiseResult;
      const violations = output.summary.violations.map((violation) => `${violation.from} -> ${violation.to}: ${violation.rule.name}`);

      expect(violations.sort()).toEqual([
        'app/_components/clock.tsx -> util: web-no-node-built-ins',
        'lib/client/shared/words.ts -> path: client-shared-is-plain-js',
        'lib/client/web/stream.ts -> http: client-web-no-node-built-ins',
        'lib/protocol/wire.ts -> fs: protocol-is-plain-data',
        'lib/protocol/wire.ts -> node_modules/eventsource/dist/index.cjs: protocol-needs-only-zod',
      ]);
    },
  );
});
