import { handlers } from '../../../../../lib/server/handlers.ts';
export const GET = handlers.listModels;
