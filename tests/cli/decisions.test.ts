import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { ofType, REAL_CLAUDE_TIMEOUT_MS, useRealClaude } from '../support/real-claude.ts';
import { reply, text, toolResults, toolUse, type RecordedRequest } from '../support/scripted-model.ts';
import { killAllClis, runCli, serverEnv, startCli, startInTerminal } from './cli-harness.ts';

const vibes = useRealClaude();
const env = () => serverEnv(vibes.server);
const WAIT_MS = REAL_CLAUDE_TIMEOUT_MS;

// The tests run side by side: each ends its own processes (an afterEach would end the others').
afterAll(async () => {
  await killAllClis();
});

function planFileOf(request: RecordedRequest): string {
  const path = /create your plan at (\S+\.md)/.exec(JSON.stringify(request.body))?.[1];
  if (!path) throw new Error('the request names no plan file');
  return path;
}

/** The terminal as a user has it: colours and prompts on. */
function startInColourTerminal(args: string[], environment: Record<string, string>) {
  const { NO_COLOR: _off, ...rest } = environment;
  return startInTerminal(args, rest);
}

// Real Claude sessions take seconds each; these run side by side within one generous bound.
describe.concurrent('decisions from the terminal, with the real Claude Code', { timeout: 4 * REAL_CLAUDE_TIMEOUT_MS }, () => {
  it('vibes claude in a terminal: an Edit is shown as a coloured diff, and the file changes only once allowed', async ({ expect }) => {
    const marker = vibes.marker('cli-edit');
    const cwd = vibes.workDir();
    const path = join(cwd, 'lines.txt');
    writeFileSync(path, 'one\ntwo\nthree\n');
    vibes.model.script(marker, [
      reply(toolUse('Read', { file_path: path })),
      reply(toolUse('Edit', { file_path: path, old_string: 'two', new_string: 'TWO' })),
      reply(text('Edited.')),
    ]);
    const terminal = startInColourTerminal(['claude', `Edit it ${marker}`, '--cwd', cwd], env());
    try {
      await terminal.waitFor(`Claude wants to edit ${path}`, WAIT_MS);
      // Removed red, added green, with line numbers; the choices under it.
      await terminal.waitFor('\u001b[31m      2 - two\u001b[39m', WAIT_MS);
      await terminal.waitFor('\u001b[32m      2 + TWO\u001b[39m', WAIT_MS);
      await terminal.waitFor('[a]llow', WAIT_MS);
      expect(readFileSync(path, 'utf8')).toBe('one\ntwo\nthree\n');
      terminal.write('a');
      await terminal.waitFor('Edited.', WAIT_MS);
      expect(readFileSync(path, 'utf8')).toBe('one\nTWO\nthree\n');
    } finally {
      await terminal.kill();
    }
  });

  it('vibes sessions attach: questions asked by number reach the model', async ({ expect }) => {
    const marker = vibes.marker('cli-question');
    const cwd = vibes.workDir();
    const chat = vibes.model.script(marker, [
      reply(
        toolUse('AskUserQuestion', {
          questions: [
            {
              question: 'Which indentation?',
              header: 'Indent',
              options: [
                { label: 'Tabs', description: 'One tab' },
                { label: 'Spaces', description: 'Two spaces' },
              ],
              multiSelect: false,
            },
            {
              question: 'Which checks?',
              header: 'Checks',
              options: [
                { label: 'Lint', description: 'ESLint' },
                { label: 'Types', description: 'tsc' },
                { label: 'Tests', description: 'vitest' },
              ],
              multiSelect: true,
            },
          ],
        }),
      ),
      reply(text('Noted.')),
    ]);
    const session = await vibes.start(`Ask ${marker}`, cwd);
    await vibes.waitForPermission(session.id, 'AskUserQuestion');
    const attach = startCli(['sessions', 'attach', session.id], env());
    await attach.waitFor('[Indent] Which indentation?', WAIT_MS);
    await attach.waitFor('2  Spaces — Two spaces');
    attach.write('7');
    await attach.waitFor('Choose 1 to 2');
    attach.write('2');
    await attach.waitFor('[Checks] Which checks?');
    attach.write('1, 3');
    await attach.waitFor('Which checks? → Lint, Tests', WAIT_MS);
    await vibes.waitForTurns(session.id);
    const [told] = toolResults(chat.requests[1]!);
    expect(told?.text).toContain('Spaces');
    expect(told?.text).toContain('Lint, Tests');
  });

  it('vibes sessions attach: a plan approved with auto-accept switches the mode; the Edit runs without asking', async ({ expect }) => {
    const marker = vibes.marker('cli-plan');
    const cwd = vibes.workDir();
    const path = join(cwd, 'plan.txt');
    writeFileSync(path, 'draft\n');
    vibes.model.script(marker, [
      reply(toolUse('Read', { file_path: path })),
      (request) => reply(toolUse('Write', { file_path: planFileOf(request), content: '# The plan\n\n- make it final\n' })),
      reply(toolUse('ExitPlanMode', {})),
      reply(toolUse('Edit', { file_path: path, old_string: 'draft', new_string: 'final' })),
      reply(text('Finished.')),
    ]);
    const session = await vibes.client().createSession({ prompt: `Plan ${marker}`, cwd, permission_mode: 'plan' });
    await vibes.waitForPermission(session.id, 'ExitPlanMode');
    const attach = startCli(['sessions', 'attach', session.id], env());
    await attach.waitFor('Claude has a plan and asks to go ahead', WAIT_MS);
    await attach.waitFor('# The plan');
    await attach.waitFor('1  Approve, and auto-accept edits');
    attach.write('1');
    await attach.waitFor('Finished.', WAIT_MS);
    expect(readFileSync(path, 'utf8')).toBe('final\n');
    // The edit made without asking is shown as its diff.
    expect(attach.stdout).toMatch(/1 - draft\n.*1 \+ final/);
    expect(attach.stdout).toContain('Permission mode: Accept edits');
    expect(ofType(vibes.events(session.id), 'permission_request').map((request) => request.tool_name)).toEqual(['ExitPlanMode']);
  });

  it('vibes claude: "don\'t ask again" by number, then the same command runs without asking', async ({ expect }) => {
    const marker = vibes.marker('cli-always');
    const cwd = vibes.workDir();
    const command = 'touch cli-always.txt';
    vibes.model.script(marker, [
      reply(toolUse('Bash', { command, description: 'Create a file' })),
      reply(text('Made.')),
      reply(toolUse('Bash', { command, description: 'Create it again' })),
      reply(text('Made again.')),
    ]);
    const claude = startCli(['claude', `Make ${marker}`, '--cwd', cwd], env());
    await claude.waitFor('Claude wants to run a command', WAIT_MS);
    await claude.waitFor(`$ ${command}`);
    await claude.waitFor(`in ${cwd}`);
    const offer = await claude.waitFor(new RegExp(`(\\d+)  Allow, and don't ask again: the Bash command \`${command}\``));
    claude.write(offer[1]!);
    await claude.waitFor("don't ask again: the Bash command", WAIT_MS);
    await claude.waitFor('Made.', WAIT_MS);
    claude.write(`Again ${marker}`);
    await claude.waitFor('Made again.', WAIT_MS);
    claude.endInput();
    expect(await claude.waitForExit(WAIT_MS)).toBe(0);
    expect(claude.stdout.split('Claude wants to run a command').length).toBe(2);
  });

  it('vibes sessions mode and model: changed live, seen by every client; bypass refused without the opt-in', async ({ expect }) => {
    const marker = vibes.marker('cli-mode');
    const cwd = vibes.workDir();
    vibes.model.script(marker, [reply(text('Ready.'))]);
    const session = await vibes.start(`Ready ${marker}`, cwd);
    await vibes.waitForTurns(session.id);

    const mode = await runCli(['sessions', 'mode', session.id.slice(0, 8), 'acceptEdits'], env(), { timeoutMs: WAIT_MS });
    expect(mode.code, mode.stderr).toBe(0);
    expect(mode.stdout).toContain('is now in acceptEdits mode');
    await vibes.stream.waitFor(
      () => vibes.latest(session.id)?.permission_mode === 'acceptEdits' || undefined,
      'the mode change on the stream',
    );

    const unconfirmed = await runCli(['sessions', 'mode', session.id, 'bypassPermissions'], env());
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('add --yes to confirm');
    const refused = await runCli(['sessions', 'mode', session.id, 'bypassPermissions', '--yes'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--allow-bypass');

    const list = await runCli(['sessions', 'model', session.id], env(), { timeoutMs: WAIT_MS });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/haiku\s+Haiku/);
    const model = await runCli(['sessions', 'model', session.id, 'haiku'], env(), { timeoutMs: WAIT_MS });
    expect(model.code, model.stderr).toBe(0);
    await vibes.stream.waitFor(() => vibes.latest(session.id)?.model === 'haiku' || undefined, 'the model change on the stream');
  });
});
