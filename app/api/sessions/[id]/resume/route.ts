import { handlers } from '../../../../../lib/server/handlers.ts';
export const POST = handlers.resume;
