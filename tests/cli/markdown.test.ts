import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { displayWidth } from '../../cli/lib/style.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { endAll, holder, serverEnv, startCli, startInTerminal, warmUp } from './cli-harness.ts';

// The fake Claude's scenario words (lib/fake-claude/README.md): `markdown` answers with a heading,
// a table, a fenced code block and a **bold** word; `markdown hang` stops before that last line.
const MARKDOWN = 'markdown';
const MARKDOWN_THEN_HANG = 'markdown hang';
const LAST_LINE = 'Shall I add the missing';

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/;
// eslint-disable-next-line no-control-regex
const ANY_ESCAPE = /\u001b/;
// eslint-disable-next-line no-control-regex
const CSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

let server: ServerProcess;
let env: Record<string, string>;
let colourEnv: Record<string, string>;
const holders: { close(): void }[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  env = serverEnv(server);
  const { NO_COLOR: _off, ...rest } = env;
  colourEnv = rest;
  await warmUp(server);
}, 120_000);
afterAll(() => endAll(server, holders));

/** A session held by a client of the test's own; with a prompt, once its turn is over. */
async function heldSession(prompt?: string) {
  const client = await holder(server);
  holders.push(client);
  const session = await client.api.createSession({ cwd: server.home, ...(prompt ? { prompt } : {}) });
  if (prompt) {
    await client.stream.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'turn_complete');
  }
  return session;
}

/** What a terminal printed, without its CR; `screen`: without the colours and cursor moves too, for measuring. */
const shown = (output: string) => output.replace(/\r/g, '');
const screen = (output: string) => shown(output).replace(CSI, '');

/** The lines of the first table drawn, from its top rule to its bottom rule. */
function firstTable(text: string): string[] {
  const lines = text.split('\n');
  const top = lines.findIndex((line) => line.startsWith('┌') && line.includes('┬'));
  const bottom = lines.findIndex((line, index) => index > top && line.startsWith('└'));
  return top === -1 || bottom === -1 ? [] : lines.slice(top, bottom + 1);
}

/** Every line of the table as wide as the others, its column rules one under the other. */
function expectAligned(expect: ExpectStatic, table: string[]): void {
  expect(table.length).toBeGreaterThanOrEqual(6);
  const columnsOf = (line: string) => [...line].slice(1, -1).flatMap((char, index) => ('┬┼┴│'.includes(char) ? [index] : []));
  const top = columnsOf(table[0]!);
  for (const line of table) {
    expect(displayWidth(line)).toBe(displayWidth(table[0]!));
    expect(columnsOf(line)).toEqual(top);
  }
}

describe.concurrent('vibes sessions attach renders Claude’s Markdown', { timeout: 150_000 }, () => {
  it('in a terminal, each block as soon as it is complete: heading, table and code appear before the reply ends', async ({ expect }) => {
    const session = await heldSession();
    const terminal = startInTerminal(['sessions', 'attach', session.id], colourEnv);
    await terminal.waitFor(`session ${session.id.slice(0, 8)}`);
    terminal.write(MARKDOWN_THEN_HANG);
    // The code block is the last complete block the fake writes before it hangs.
    await terminal.waitFor(/export const requireSubscribedClient[^\n]*\n[^\n]*└─/);
    const output = shown(terminal.output);
    // The reply is not over (the fake hangs before its last line), yet its blocks are on screen.
    expect(output).not.toContain(LAST_LINE);
    expect(output).toContain('\u001b[1mStatus codes\u001b[22m');
    expect(output).not.toContain('## Status codes');
    expect(output).not.toContain('|---|');
    expect(output).not.toContain('```');
    expectAligned(expect, firstTable(screen(output)));
    expect(screen(output)).toContain('│ Code │   Meaning   │ When ');
    await terminal.kill();
  });

  it('in a terminal, a finished reply: bold and inline markers gone, escape codes for the styles', async ({ expect }) => {
    const session = await heldSession(MARKDOWN);
    const terminal = startInTerminal(['sessions', 'attach', session.id], colourEnv);
    await terminal.waitFor(LAST_LINE);
    await terminal.waitFor('row?');
    const output = shown(terminal.output);
    expect(output).toContain(`${LAST_LINE} \u001b[1m404\u001b[22m row?`);
    expect(output).not.toContain('**');
    expect(output).toContain('\u001b[2m┌─ ts\u001b[22m');
    expectAligned(expect, firstTable(screen(output)));
    await terminal.kill();
  });

  it('in a terminal with NO_COLOR: the layout without a single colour code', async ({ expect }) => {
    const session = await heldSession(MARKDOWN);
    const terminal = startInTerminal(['sessions', 'attach', session.id], env);
    await terminal.waitFor(/row\?/);
    expect(terminal.output).not.toMatch(SGR);
    const output = screen(terminal.output);
    expect(output).toContain(`${LAST_LINE} 404 row?`);
    expect(output).toMatch(/Status codes\n─{12}\n/);
    expect(output).toContain('┌─ ts\n│ export const');
    expectAligned(expect, firstTable(output));
    await terminal.kill();
  });

  it('piped: the Markdown as Claude wrote it, without an escape code', async ({ expect }) => {
    const session = await heldSession(MARKDOWN);
    const attach = startCli(['sessions', 'attach', session.id], colourEnv);
    await attach.waitFor(`${LAST_LINE} **404** row?`);
    expect(attach.stdout).not.toMatch(ANY_ESCAPE);
    expect(attach.stdout).toContain('## Status codes\n\n| Code | Meaning | When |\n|---|:-:|---|\n| 400 | Bad request |');
    expect(attach.stdout).toContain('```ts\nexport const');
    await attach.kill();
  });
});
