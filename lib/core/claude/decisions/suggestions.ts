import { isAbsolute, relative } from 'node:path';
import type { PermissionSuggestion } from '../../../protocol/index.ts';
import { isModeAllowed } from '../../permission-modes.ts';

/**
 * Claude Code's permission updates (the Agent SDK's `PermissionUpdate`), restated so the core does
 * not import the SDK's types. Kept as Claude sent them and handed back unchanged when chosen.
 */
export type PermissionUpdate =
  | {
      type: 'addRules' | 'replaceRules' | 'removeRules';
      rules: { toolName: string; ruleContent?: string }[];
      behavior: string;
      destination: string;
    }
  | { type: 'setMode'; mode: string; destination: string }
  | { type: 'addDirectories' | 'removeDirectories'; directories: string[]; destination: string };

const SCOPES: Record<string, PermissionSuggestion['scope']> = {
  session: 'session',
  cliArg: 'cli',
  localSettings: 'local',
  projectSettings: 'project',
  userSettings: 'user',
};

const SCOPE_WORDS: Record<PermissionSuggestion['scope'], string> = {
  session: 'for this session',
  cli: 'for this session',
  local: 'in this project',
  project: 'in this project, for everyone who works on it',
  user: 'in all your projects',
};

const MODE_WORDS: Record<string, string> = {
  acceptEdits: 'accept edits without asking',
  default: 'ask before edits again',
  plan: 'switch to plan mode',
  bypassPermissions: 'bypass all permission checks',
};

export function isPermissionUpdate(value: unknown): value is PermissionUpdate {
  if (typeof value !== 'object' || value === null) return false;
  const update = value as Record<string, unknown>;
  if (typeof update.destination !== 'string') return false;
  switch (update.type) {
    case 'addRules':
    case 'replaceRules':
    case 'removeRules':
      return Array.isArray(update.rules) && update.rules.every((rule) => typeof (rule as { toolName?: unknown })?.toolName === 'string');
    case 'setMode':
      return typeof update.mode === 'string';
    case 'addDirectories':
    case 'removeDirectories':
      return Array.isArray(update.directories) && update.directories.every((directory) => typeof directory === 'string');
    default:
      return false;
  }
}

/**
 * The updates worth offering: a mode switch this server would refuse (bypass without the opt-in,
 * a mode vibes does not offer) is left out, so no client shows a choice that cannot be taken.
 */
export function offerableUpdates(updates: readonly PermissionUpdate[], allowBypass: boolean): PermissionUpdate[] {
  return updates.filter((update) => update.type !== 'setMode' || isModeAllowed(update.mode, allowBypass));
}

/** The offers as clients see them: ids are their places in Claude's list. */
export function describeSuggestions(updates: readonly PermissionUpdate[], cwd: string): PermissionSuggestion[] {
  return updates.map((update, index) => ({
    id: String(index),
    description: describeUpdate(update, cwd),
    scope: SCOPES[update.destination] ?? 'session',
    ...(update.type === 'setMode' ? { mode: update.mode } : {}),
  }));
}

/** One update in plain words: "Bash commands starting with `npm test` in this project". */
export function describeUpdate(update: PermissionUpdate, cwd: string): string {
  const scope = SCOPE_WORDS[SCOPES[update.destination] ?? 'session'];
  switch (update.type) {
    case 'setMode':
      return `${MODE_WORDS[update.mode] ?? `switch to ${update.mode} mode`} ${scope}`;
    case 'addDirectories':
      return `edits in ${listOf(update.directories.map((directory) => folderWords(directory, cwd)))} ${scope}`;
    case 'removeDirectories':
      return `no more access to ${listOf(update.directories.map((directory) => folderWords(directory, cwd)))} ${scope}`;
    default: {
      const rules = listOf(update.rules.map((rule) => ruleWords(rule.toolName, rule.ruleContent, cwd)));
      const verb =
        update.type === 'removeRules'
          ? 'forget the rule for '
          : update.behavior === 'deny'
            ? 'never allow '
            : update.behavior === 'ask'
              ? 'always ask for '
              : '';
      return `${verb}${rules} ${scope}`;
    }
  }
}

function ruleWords(tool: string, content: string | undefined, cwd: string): string {
  if (content === undefined || content === '' || content === '*') return tool === 'Bash' ? 'every Bash command' : `every use of ${tool}`;
  switch (tool) {
    case 'Bash': {
      const prefix = /^(.*?)(?::\*| \*)$/.exec(content);
      return prefix ? `Bash commands starting with \`${prefix[1]}\`` : `the Bash command \`${content}\``;
    }
    case 'Edit':
    case 'Write':
    case 'MultiEdit':
    case 'NotebookEdit':
      return `edits to ${pathWords(content, cwd)}`;
    case 'Read':
      return `reading ${pathWords(content, cwd)}`;
    case 'WebFetch': {
      const domain = /^domain:(.+)$/.exec(content);
      return domain ? `fetching pages from ${domain[1]}` : `fetching ${content}`;
    }
    default:
      return `${tool} for \`${content}\``;
  }
}

/** A path pattern in words: `src/**` -> "files in `src`". */
function pathWords(pattern: string, cwd: string): string {
  const folder = /^(.*?)\/\*\*(?:\/\*)?$/.exec(pattern);
  if (folder) return `files in ${folderWords(folder[1] ?? '', cwd)}`;
  return `\`${shortPath(pattern.replace(/^\/\//, '/'), cwd)}\``;
}

function folderWords(directory: string, cwd: string): string {
  const path = directory.replace(/^\/\//, '/');
  if (path === '' || path === '.' || path === cwd) return 'this folder';
  return `\`${shortPath(path, cwd)}\``;
}

function shortPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(cwd, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

function listOf(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
