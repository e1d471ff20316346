import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { png } from '../support/images.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { holder, killAllClis, runCli, serverEnv, startCli } from './cli-harness.ts';

let server: ServerProcess;
let env: Record<string, string>;
const files = mkdtempSync(join(tmpdir(), 'vibes-cli-attach-'));
const picture = join(files, 'chart.png');
const notes = join(files, 'notes.md');
const holders: { close(): void }[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  env = serverEnv(server);
  writeFileSync(picture, png(32, 24));
  writeFileSync(notes, '# notes\nthe build is green\n');
});
afterAll(async () => {
  await killAllClis();
  for (const client of holders.splice(0)) client.close();
  await server?.stop();
  rmSync(files, { recursive: true, force: true });
});

describe.concurrent('files and images from the CLI', () => {
  it('vibes claude --image and --file send them with the prompt', async ({ expect }) => {
    const result = await runCli(['claude', '--image', picture, '--file', notes, '--cwd', files, 'what do you make of these?'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('I see 1 image (image/png), 1 text file.');
  });

  it('--image with a file that is not an image stops before anything is sent', async ({ expect }) => {
    const result = await runCli(['claude', '--image', notes, '--cwd', files, 'look'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not an image');
    expect(result.stdout).not.toContain('You said');
  });

  it('in vibes sessions attach, `:attach PATH` adds a file to the next line sent', async ({ expect }) => {
    const client = await holder(server);
    holders.push(client);
    const session = await client.api.createSession({ cwd: files, name: 'attach files' });
    const attach = startCli(['sessions', 'attach', session.id.slice(0, 8)], env);
    await attach.waitFor('"attach files"');
    attach.write(':attach /no/such/file.png');
    await attach.waitFor('not attached: /no/such/file.png: no such file');
    attach.write(`:attach ${picture}`);
    await attach.waitFor('attached chart.png (image, 32×24');
    attach.write('and now?');
    await attach.waitFor('I see 1 image (image/png).');
    const { events } = await client.api.events(session.id);
    expect(events.find((entry) => entry.event.type === 'user_input')?.event).toMatchObject({
      content: 'and now?',
      attachments: [{ name: 'chart.png', kind: 'image', width: 32, height: 24 }],
    });
    attach.signal('SIGTERM');
    await attach.waitForExit();
  });
});
