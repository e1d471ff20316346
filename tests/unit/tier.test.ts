import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';

describe('the unit tier', () => {
  it('refuses to start a child process or a server, so it stays fast and needs nothing installed', () => {
    expect(() => spawn(process.execPath, ['-e', ''])).toThrow(/unit tier starts no child process/);
    expect(() => execFileSync(process.execPath, ['-e', ''])).toThrow(/unit tier starts no child process/);
    expect(() => createServer().listen(0, '127.0.0.1')).toThrow(/unit tier starts no server/);
  });
});
