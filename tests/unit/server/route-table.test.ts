import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES, type RouteName } from '../../../lib/protocol/index.ts';

const ROOT = join(import.meta.dirname, '../../..');
/** Routes the custom server answers itself, before Next (lib/server/server.ts). */
const SERVED_BY_SERVER: RouteName[] = ['health'];

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
    const names = [...served.map((handler) => handler.name), ...SERVED_BY_SERVER].sort();
    expect(names).toEqual(Object.keys(ROUTES).sort());
  });

  it('the server answers the routes it serves itself by the table', () => {
    const source = readFileSync(join(ROOT, 'lib/server/server.ts'), 'utf8');
    for (const name of SERVED_BY_SERVER) expect(source).toContain(`ROUTES.${name}.path`);
  });
});
