import type { RouteName } from '../protocol/index.ts';
import { attachmentRoutes } from './attachment-routes.ts';
import { credentialRoutes } from './credential-routes.ts';
import { notificationRoutes } from './notification-routes.ts';
import type { RouteHandler } from './route.ts';
import { sessionRoutes } from './session-routes.ts';

/**
 * Every route's handler, by its name in the route table: the custom server answers a
 * `serverFirst` route with it, and each app/api file hands the same one to Next. The one route
 * no route() answers is `events`: the SSE hub writes the event stream itself (docs/architecture.md).
 */
export const handlers = {
  ...sessionRoutes,
  ...credentialRoutes,
  ...notificationRoutes,
  ...attachmentRoutes,
} satisfies { [Name in Exclude<RouteName, 'events'>]: RouteHandler<Name> };
