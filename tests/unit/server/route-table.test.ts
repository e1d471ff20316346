import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchRoute, ROUTES, type RouteName, type RouteSpec } from '../../../lib/protocol/index.ts';
import { handlers } from '../../../lib/server/handlers.ts';

const ROOT = join(import.meta.dirname, '../../..');

function handlerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? handlerFiles(join(dir, entry.name)) : entry.name === 'route.ts' ? [join(dir, entry.name)] : [],
  );
}

/** `app/api/sessions/[id]/route.ts` serves `/api/sessions/:id`. */
function pathOf(file: string): string {
  const folder = relative(join(ROOT, 'app'), file).split(sep).slice(0, -1).join('/');
  return `/${folder.replace(/\[(\w+)\]/g, ':$1')}`;
}

describe('the route table and the handlers', () => {
  const served = handlerFiles(join(ROOT, 'app/api')).flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    const exports = [...source.matchAll(/^export const (\w+) = handlers\.(\w+);$/gm)];
    expect(exports.length, `${file} exports no handler of lib/server/handlers.ts`).toBeGreaterThan(0);
    expect([...source.matchAll(/export /g)].length, `${file} exports something that is not a handler of the table`).toBe(exports.length);
    expect(
      source.split('\n').filter((line) => line !== '' && !line.startsWith('export const ')),
      file,
    ).toEqual([expect.stringMatching(/^import \{ handlers \} from '(\.\.\/)+lib\/server\/handlers\.ts';$/)]);
    return exports.map(([, method, name]) => ({ file: relative(ROOT, file), path: pathOf(file), method, name }));
  });

  it('every app/api handler is the table’s handler for a route at that path and method', () => {
    for (const handler of served) {
      const route: RouteSpec | undefined = ROUTES[handler.name as RouteName];
      expect(route, `${handler.file}: no route named ${handler.name}`).toBeDefined();
      expect({ method: handler.method, path: handler.path }, handler.file).toEqual({ method: route!.method, path: route!.path });
    }
  });

  it('every route of the table but the event stream has exactly one app/api handler, made by route() for its name', () => {
    const streams = (Object.keys(ROUTES) as RouteName[]).filter((name) => (ROUTES[name] as RouteSpec).stream);
    expect(streams).toEqual(['events']);
    expect(served.map((handler) => handler.name).sort()).toEqual(Object.keys(handlers).sort());
    expect([...Object.keys(handlers), ...streams].sort()).toEqual(Object.keys(ROUTES).sort());
    for (const [name, handler] of Object.entries(handlers)) expect(typeof handler.serve, name).toBe('function');
  });

  it('a request finds its route by method and path, parameters decoded; a wrong method is told apart from no route', () => {
    expect(matchRoute('POST', '/api/sessions/a%20b/permissions/r1')).toMatchObject({
      name: 'answerPermission',
      params: { id: 'a b', requestId: 'r1' },
      allowed: true,
    });
    expect(matchRoute('HEAD', '/api/sessions/s1/attachments/x')).toMatchObject({ name: 'getAttachment', allowed: true });
    expect(matchRoute('POST', '/api/sessions')).toMatchObject({ name: 'createSession', allowed: true });
    expect(matchRoute('GET', '/api/sessions')).toMatchObject({ name: 'listSessions', allowed: true });
    expect(matchRoute('GET', '/api/sign-in')).toMatchObject({ name: 'signIn', allowed: false });
    expect(matchRoute('GET', '/api/sessions/s1/nothing')).toBeNull();
    expect(matchRoute('GET', '/api/sessions/%E0%A4%A')).toBeNull();
  });
});
