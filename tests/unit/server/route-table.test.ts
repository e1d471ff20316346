import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES, type RouteName } from '../../../lib/protocol/index.ts';

const ROOT = join(import.meta.dirname, '../../..');
/** Routes the custom server answers itself, before Next, and the file that does (by the table). */
const SERVED_BY_SERVER: Partial<Record<RouteName, string>> = {
  health: 'lib/server/server.ts',
  listSessions: 'lib/server/server-routes.ts',
  subscribe: 'lib/server/server-routes.ts',
  rotateToken: 'lib/server/credential-routes.ts',
  pairing: 'lib/server/credential-routes.ts',
  signIn: 'lib/server/credential-routes.ts',
  signOut: 'lib/server/credential-routes.ts',
  listDevices: 'lib/server/credential-routes.ts',
  revokeDevice: 'lib/server/credential-routes.ts',
  notificationSettings: 'lib/server/notification-routes.ts',
  subscribePush: 'lib/server/notification-routes.ts',
  unsubscribePush: 'lib/server/notification-routes.ts',
  notifyTest: 'lib/server/notification-routes.ts',
  watch: 'lib/server/notification-routes.ts',
  uploadAttachment: 'lib/server/attachment-routes.ts',
  getAttachment: 'lib/server/attachment-routes.ts',
};

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
    const exports = [...source.matchAll(/export const (\w+) = (\w+)\(\s*'(\w+)'/g)];
    expect(exports.length, `${file} exports no route('name', ...) handler`).toBeGreaterThan(0);
    expect([...source.matchAll(/export /g)].length, `${file} exports something that is not a route handler`).toBe(exports.length);
    return exports.map(([, method, wrapper, name]) => ({ file: relative(ROOT, file), path: pathOf(file), method, wrapper, name }));
  });

  it('every handler is made by route() for a route of the table, at that route’s path and method', () => {
    for (const handler of served) {
      expect(handler.wrapper, handler.file).toBe('route');
      const route = ROUTES[handler.name as RouteName];
      expect(route, `${handler.file}: no route named ${handler.name}`).toBeDefined();
      expect({ method: handler.method, path: handler.path }, handler.file).toEqual({ method: route.method, path: route.path });
    }
  });

  it('every route of the table has exactly one handler', () => {
    const names = [...served.map((handler) => handler.name), ...Object.keys(SERVED_BY_SERVER)].sort();
    expect(names).toEqual(Object.keys(ROUTES).sort());
  });

  it('the server answers the routes it serves itself by the table', () => {
    for (const [name, file] of Object.entries(SERVED_BY_SERVER)) {
      expect(readFileSync(join(ROOT, file), 'utf8'), file).toContain(`ROUTES.${name}.path`);
    }
  });
});
