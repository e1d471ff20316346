import { describe, expect, it } from 'vitest';
import {
  describeAuthFailure,
  describeExit,
  EXECUTABLE_HINT,
  LOGIN_HINT,
  looksLikeAuthFailure,
  OutputTail,
} from '../../../../lib/core/claude/index.ts';

describe('failure messages', () => {
  it('a non-zero exit names the code and quotes the last stderr lines', () => {
    const message = describeExit({ code: 1, signal: null, stderrTail: 'Error: boom\n    at main (cli.js:1:1)' });
    expect(message).toBe('Claude exited with code 1\nstderr:\nError: boom\n    at main (cli.js:1:1)');
  });

  it('a signal names the signal', () => {
    expect(describeExit({ code: null, signal: 'SIGKILL', stderrTail: '' })).toBe('Claude was killed by SIGKILL');
  });

  it('a spawn error says why and where to point vibes', () => {
    expect(describeExit({ code: null, signal: null, stderrTail: '', error: 'spawn /x/claude ENOENT' })).toBe(
      `spawn /x/claude ENOENT\n${EXECUTABLE_HINT}`,
    );
  });

  it('recognises a missing login or API key and says how to fix it', () => {
    for (const text of [
      'Not logged in · Please run /login',
      'Invalid API key · Please run /login',
      'authentication_error: invalid x-api-key',
      'OAuth token has expired',
    ]) {
      expect(looksLikeAuthFailure(text)).toBe(true);
    }
    expect(looksLikeAuthFailure('API Error: 529 Overloaded')).toBe(false);
    expect(describeExit({ code: 1, signal: null, stderrTail: 'Invalid API key · Please run /login' })).toContain(LOGIN_HINT);
    expect(describeAuthFailure('Not logged in · Please run /login')).toBe(`Not logged in · Please run /login. ${LOGIN_HINT}`);
    expect(LOGIN_HINT).toMatch(/\/login/);
    expect(LOGIN_HINT).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('keeps only the last lines of a long stderr', () => {
    const tail = new OutputTail(3, 1000);
    for (let i = 1; i <= 50; i++) tail.push(`line ${i}\n`);
    expect(tail.toString()).toBe('line 48\nline 49\nline 50');
    const bounded = new OutputTail(10, 20);
    bounded.push('x'.repeat(100));
    expect(bounded.toString()).toHaveLength(20);
  });
});
