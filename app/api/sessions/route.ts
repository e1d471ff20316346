import { handlers } from '../../../lib/server/handlers.ts';
export const GET = handlers.listSessions;
export const POST = handlers.createSession;
