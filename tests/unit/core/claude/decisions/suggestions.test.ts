import { describe, expect, it } from 'vitest';
import {
  describeSuggestions,
  describeUpdate,
  isPermissionUpdate,
  offerableUpdates,
} from '../../../../../lib/core/claude/decisions/suggestions.ts';

const cwd = '/home/me/app';

describe('permission suggestions in plain words', () => {
  it('says what each rule allows and for how long', () => {
    expect(
      describeUpdate(
        { type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'npm test:*' }], behavior: 'allow', destination: 'localSettings' },
        cwd,
      ),
    ).toBe('Bash commands starting with `npm test` in this project');
    expect(
      describeUpdate(
        { type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'touch a.txt' }], behavior: 'allow', destination: 'session' },
        cwd,
      ),
    ).toBe('the Bash command `touch a.txt` for this session');
    expect(describeUpdate({ type: 'addDirectories', directories: [cwd], destination: 'session' }, cwd)).toBe(
      'edits in this folder for this session',
    );
    expect(describeUpdate({ type: 'addDirectories', directories: ['/home/me/app/src'], destination: 'session' }, cwd)).toBe(
      'edits in `src` for this session',
    );
    expect(describeUpdate({ type: 'setMode', mode: 'acceptEdits', destination: 'session' }, cwd)).toBe(
      'accept edits without asking for this session',
    );
    expect(
      describeUpdate(
        {
          type: 'addRules',
          rules: [{ toolName: 'Edit', ruleContent: '/home/me/app/docs/**' }],
          behavior: 'allow',
          destination: 'userSettings',
        },
        cwd,
      ),
    ).toBe('edits to files in `docs` in all your projects');
    expect(
      describeUpdate(
        {
          type: 'addRules',
          rules: [{ toolName: 'WebFetch', ruleContent: 'domain:example.com' }],
          behavior: 'deny',
          destination: 'projectSettings',
        },
        cwd,
      ),
    ).toBe('never allow fetching pages from example.com in this project, for everyone who works on it');
  });

  it('numbers the offers by their place, and keeps only well-formed updates', () => {
    const updates = [
      { type: 'addRules' as const, rules: [{ toolName: 'Bash', ruleContent: 'ls' }], behavior: 'allow', destination: 'localSettings' },
      { type: 'setMode' as const, mode: 'acceptEdits', destination: 'session' },
    ];
    expect(describeSuggestions(updates, cwd)).toMatchObject([
      { id: '0', scope: 'local' },
      { id: '1', scope: 'session', mode: 'acceptEdits' },
    ]);
    expect(isPermissionUpdate(updates[0])).toBe(true);
    expect(isPermissionUpdate({ type: 'addRules', rules: 'nope', destination: 'session' })).toBe(false);
    expect(isPermissionUpdate({ type: 'somethingNew', destination: 'session' })).toBe(false);
  });

  it('offers a mode switch only to a mode this server allows', () => {
    const rule = { type: 'addRules' as const, rules: [{ toolName: 'Bash', ruleContent: 'ls' }], behavior: 'allow', destination: 'session' };
    const to = (mode: string) => ({ type: 'setMode' as const, mode, destination: 'session' });
    const updates = [rule, to('acceptEdits'), to('bypassPermissions'), to('dontAsk'), to('auto')];
    expect(offerableUpdates(updates, false)).toEqual([rule, to('acceptEdits')]);
    expect(offerableUpdates(updates, true)).toEqual([rule, to('acceptEdits'), to('bypassPermissions')]);
  });
});
