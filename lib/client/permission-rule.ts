import { MODE_WORDS } from './system-note.ts';

/**
 * A permission suggestion as Claude Code offers it (the Agent SDK's PermissionUpdate), read
 * loosely: this file only turns it into words, whatever the server passes through.
 */
export interface PermissionSuggestion {
  type: string;
  rules?: { toolName: string; ruleContent?: string }[];
  behavior?: string;
  mode?: string;
  directories?: string[];
  destination?: string;
}

const WHERE: Record<string, string> = {
  session: 'for this session',
  localSettings: 'in this project, from now on (your local settings)',
  projectSettings: 'in this project, for everyone (shared project settings)',
  userSettings: 'in every project (your user settings)',
  cliArg: 'for this run',
};

const EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);

/** One rule in words: "Bash commands starting with `npm test`", "the Bash command `touch a.txt`", "every WebFetch". */
export function describeRule(rule: { toolName: string; ruleContent?: string }): string {
  const content = rule.ruleContent?.trim();
  if (!content) return EDIT_TOOLS.has(rule.toolName) ? 'every file edit' : `every ${rule.toolName} call`;
  if (rule.toolName === 'Bash') {
    const prefix = /^(.*?)(?::\*|\s\*)$/.exec(content);
    return prefix ? `Bash commands starting with \`${prefix[1]}\`` : `the Bash command \`${content}\``;
  }
  if (EDIT_TOOLS.has(rule.toolName)) return `edits to \`${content}\``;
  if (rule.toolName === 'Read') return `reading \`${content}\``;
  if (rule.toolName === 'WebFetch') return `fetching ${content.replace(/^domain:/, 'pages on ')}`;
  return `${rule.toolName} with \`${content}\``;
}

/** A suggestion as one sentence, e.g. "Allow Bash commands starting with `npm test` in this project, from now on". */
export function describeSuggestion(suggestion: PermissionSuggestion): string {
  const where = WHERE[suggestion.destination ?? ''] ?? '';
  const tail = where ? ` ${where}` : '';
  switch (suggestion.type) {
    case 'addRules':
    case 'replaceRules': {
      const verb = suggestion.behavior === 'deny' ? 'Deny' : suggestion.behavior === 'ask' ? 'Always ask for' : 'Allow';
      const rules = (suggestion.rules ?? []).map(describeRule);
      return `${verb} ${joinWords(rules)}${tail}`;
    }
    case 'removeRules':
      return `Forget the rules for ${joinWords((suggestion.rules ?? []).map(describeRule))}${tail}`;
    case 'setMode':
      return suggestion.mode === 'acceptEdits'
        ? `Accept all file edits without asking${tail}`
        : `Switch to ${MODE_WORDS[suggestion.mode ?? ''] ?? suggestion.mode ?? 'another'} mode${tail}`;
    case 'addDirectories':
      return `Allow working in ${joinWords((suggestion.directories ?? []).map((dir) => `\`${dir}\``))}${tail}`;
    case 'removeDirectories':
      return `Stop working in ${joinWords((suggestion.directories ?? []).map((dir) => `\`${dir}\``))}${tail}`;
    default:
      return `${suggestion.type}${tail}`;
  }
}

function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? 'nothing';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}
