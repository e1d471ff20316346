import type { RecentProject, SessionInfo } from '../../protocol/index.ts';
import type { ApiCalls } from './api-calls.ts';

// Calls made only from dialogs the dashboard loads on first use (and by the CLI): kept out of
// ApiCalls, whose every method is in the dashboard's first load.

/** Shows the session by `name` instead of its first prompt; null or '' clears it. */
export async function renameSession(api: ApiCalls, id: string, name: string | null): Promise<SessionInfo> {
  return (await api.call('renameSession', { params: { id }, body: { name } })).session;
}

export async function pinSession(api: ApiCalls, id: string, pinned: boolean): Promise<SessionInfo> {
  return (await api.call('pinSession', { params: { id }, body: { pinned } })).session;
}

/** Working directories sessions ran in lately, the most recent first. */
export async function recentProjects(api: ApiCalls): Promise<RecentProject[]> {
  return (await api.call('recentProjects')).projects;
}
