import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ApiError } from '../../lib/client/node/api-client.ts';
import { ofType, useRealClaude } from '../support/real-claude.ts';
import { reply, requestText, text, toolResults, toolUse, type RecordedRequest } from '../support/scripted-model.ts';

const vibes = useRealClaude();

const QUESTION = {
  questions: [
    {
      question: 'Which colour should the button be?',
      header: 'Colour',
      options: [
        { label: 'Red', description: 'Warm and loud' },
        { label: 'Blue', description: 'Cool and calm' },
      ],
      multiSelect: false,
    },
  ],
};

const PLAN = '# Plan\n\n1. Add the button\n2. Test it';

/** ExitPlanMode is a deferred tool: the model loads it with ToolSearch, enters plan mode, then presents its plan. */
const planSteps = () => [
  reply(toolUse('ToolSearch', { query: 'select:EnterPlanMode,ExitPlanMode', max_results: 5 })),
  reply(toolUse('EnterPlanMode', {})),
  reply(text('Here is my plan.'), toolUse('ExitPlanMode', { plan: PLAN })),
];

describe.concurrent('questions and plans with the real Claude Code', () => {
  it('AskUserQuestion denied: the model receives the deny message', async ({ expect }) => {
    const marker = vibes.marker('ask-deny');
    const chat = vibes.model.script(marker, [reply(toolUse('AskUserQuestion', QUESTION)), reply(text('Fine.'))]);
    const session = await vibes.start(`Make a button ${marker}`, vibes.workDir());
    const request = await vibes.waitForPermission(session.id, 'AskUserQuestion');
    await vibes.deny(session.id, request.request_id, 'Choose yourself.');
    await vibes.waitForTurns(session.id);
    const [told] = toolResults(chat.requests[1]!);
    expect(told).toMatchObject({ tool_use_id: request.tool_use_id, is_error: true });
    expect(told?.text).toContain('Choose yourself.');
  });

  it('plan mode ends in ExitPlanMode; allowing it lets the model proceed', async ({ expect }) => {
    const marker = vibes.marker('plan-allow');
    const chat = vibes.model.script(marker, [...planSteps(), reply(text('Proceeding.'))]);
    const session = await vibes.start(`Plan a button ${marker}`, vibes.workDir());
    const request = await vibes.waitForPermission(session.id, 'ExitPlanMode');
    // Entering plan mode asked nobody; the request shows the plan from the tool call.
    expect(ofType(vibes.events(session.id), 'permission_request').map((event) => event.tool_name)).toEqual(['ExitPlanMode']);
    expect(request.display).toEqual({ type: 'plan', plan: PLAN, file_path: null });
    const call = ofType(vibes.events(session.id), 'tool_use').find((event) => event.tool_use_id === request.tool_use_id);
    expect(call).toMatchObject({ name: 'ExitPlanMode', input: { plan: PLAN } });
    await vibes.allow(session.id, request.request_id);
    await vibes.waitForTurns(session.id);
    const [told] = toolResults(chat.requests[3]!);
    expect(told).toMatchObject({ tool_use_id: request.tool_use_id, is_error: false });
    expect(told?.text).toContain('User has approved exiting plan mode');
  });

  it('plan mode ends in ExitPlanMode; denying it keeps the model planning with the message', async ({ expect }) => {
    const marker = vibes.marker('plan-deny');
    const chat = vibes.model.script(marker, [...planSteps(), reply(text('I will revise the plan.'))]);
    const session = await vibes.start(`Plan a button ${marker}`, vibes.workDir());
    const request = await vibes.waitForPermission(session.id, 'ExitPlanMode');
    await vibes.deny(session.id, request.request_id, 'Test it first, then add it.');
    await vibes.waitForTurns(session.id);
    const [told] = toolResults(chat.requests[3]!);
    expect(told).toMatchObject({ tool_use_id: request.tool_use_id, is_error: true });
    expect(told?.text).toContain('Test it first, then add it.');
  });
});

describe.concurrent('subagents and todos with the real Claude Code', () => {
  it('shows a subagent’s tool calls under their parent, and its approval really runs', async ({ expect }) => {
    const marker = vibes.marker('agent');
    const agentMarker = vibes.marker('subagent');
    const cwd = vibes.workDir();
    const agentCall = toolUse('Agent', {
      description: 'Make a file',
      prompt: `Create from-agent.txt ${agentMarker}`,
      subagent_type: 'general-purpose',
    });
    const agentId = agentCall.type === 'tool_use' ? agentCall.id : '';
    const main = vibes.model.script(marker, [
      reply(agentCall),
      reply(text('The agent is on it.')),
      reply(text('The agent made the file.')),
    ]);
    const sub = vibes.model.script(agentMarker, [
      reply(toolUse('Bash', { command: 'touch from-agent.txt', description: 'Create the file' })),
      reply(text('Created from-agent.txt.')),
    ]);
    const session = await vibes.start(`Delegate ${marker}`, cwd);

    const request = await vibes.waitForPermission(session.id, 'Bash');
    const call = ofType(vibes.events(session.id), 'tool_use').find((event) => event.tool_use_id === request.tool_use_id);
    expect(call).toMatchObject({ name: 'Bash', parent_tool_use_id: agentId });
    expect(existsSync(join(cwd, 'from-agent.txt'))).toBe(false);
    await vibes.allow(session.id, request.request_id);

    await vibes.waitForEvent(session.id, 'system', (event) => event.subtype === 'task_notification');
    await vibes.waitForTurns(session.id, 2);
    expect(existsSync(join(cwd, 'from-agent.txt'))).toBe(true);
    const events = vibes.events(session.id);
    expect(ofType(events, 'tool_result').find((event) => event.tool_use_id === request.tool_use_id)).toMatchObject({
      is_error: false,
      parent_tool_use_id: agentId,
    });
    expect(ofType(events, 'text').find((event) => event.text === 'Created from-agent.txt.')).toMatchObject({ parent_tool_use_id: agentId });
    const notes = ofType(events, 'system');
    expect(notes.find((event) => event.subtype === 'task_started')).toMatchObject({ tool_use_id: agentId, description: 'Make a file' });
    expect(notes.find((event) => event.subtype === 'task_notification')).toMatchObject({ tool_use_id: agentId, status: 'completed' });
    // The subagent had its own conversation; the main one was notified when it ended.
    expect(toolResults(sub.requests[1]!)).toMatchObject([{ tool_use_id: request.tool_use_id, is_error: false }]);
    expect(requestText(main.requests.at(-1)!)).toContain('<status>completed</status>');
  });

  it('TodoWrite is not among Claude Code’s tools here: vibes shows the call and the refusal', async ({ expect }) => {
    const marker = vibes.marker('todo');
    const todos = [{ content: 'Write the tests', status: 'in_progress', activeForm: 'Writing the tests' }];
    const chat = vibes.model.script(marker, [reply(toolUse('TodoWrite', { todos })), reply(text('No todo list, then.'))]);
    const session = await vibes.start(`Plan your work ${marker}`, vibes.workDir());
    await vibes.waitForTurns(session.id);
    const events = vibes.events(session.id);
    const [call] = ofType(events, 'tool_use');
    expect(call).toMatchObject({ name: 'TodoWrite', input: { todos } });
    expect(ofType(events, 'permission_request')).toEqual([]);
    expect(ofType(events, 'tool_result')).toMatchObject([{ tool_use_id: call?.tool_use_id, is_error: true }]);
    const [told] = toolResults(chat.requests[1]!);
    expect(told?.text).toContain('No such tool available: TodoWrite');
  });
});

/** The plan file Claude Code asks for in plan mode, named in its system prompt. */
function planFileOf(request: RecordedRequest): string {
  const path = /create your plan at (\S+\.md)/.exec(JSON.stringify(request.body))?.[1];
  if (!path) throw new Error('the request names no plan file');
  return path;
}

const TEN_LINES = Array.from({ length: 10 }, (_, index) => `line ${index + 1}`).join('\n') + '\n';

describe.concurrent('decisions with the real Claude Code', () => {
  it('shows an Edit as a diff with context and line numbers before the file changes', async ({ expect }) => {
    const marker = vibes.marker('edit-diff');
    const cwd = vibes.workDir();
    const path = join(cwd, 'lines.txt');
    writeFileSync(path, TEN_LINES);
    vibes.model.script(marker, [
      reply(toolUse('Read', { file_path: path })),
      reply(toolUse('Edit', { file_path: path, old_string: 'line 6', new_string: 'line six' })),
      reply(text('Edited.')),
    ]);
    const session = await vibes.start(`Edit line 6 ${marker}`, cwd);
    const request = await vibes.waitForPermission(session.id, 'Edit');
    expect(request.kind).toBe('tool');
    expect(request.display).toEqual({
      type: 'diff',
      diff: {
        file_path: path,
        status: 'modified',
        added: 1,
        removed: 1,
        truncated: false,
        hunks: [
          {
            old_start: 3,
            old_lines: 7,
            new_start: 3,
            new_lines: 7,
            lines: [
              { kind: 'context', old_line: 3, new_line: 3, text: 'line 3' },
              { kind: 'context', old_line: 4, new_line: 4, text: 'line 4' },
              { kind: 'context', old_line: 5, new_line: 5, text: 'line 5' },
              { kind: 'removed', old_line: 6, new_line: null, text: 'line 6' },
              { kind: 'added', old_line: null, new_line: 6, text: 'line six' },
              { kind: 'context', old_line: 7, new_line: 7, text: 'line 7' },
              { kind: 'context', old_line: 8, new_line: 8, text: 'line 8' },
              { kind: 'context', old_line: 9, new_line: 9, text: 'line 9' },
            ],
          },
        ],
      },
    });
    // The same decision is in the session's pending list, and the tool call can be told apart as waiting.
    expect(vibes.latest(session.id)?.pending_permissions[0]).toMatchObject({ request_id: request.request_id, display: { type: 'diff' } });
    expect(ofType(vibes.events(session.id), 'tool_use').some((call) => call.tool_use_id === request.tool_use_id)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(TEN_LINES);

    await vibes.client().answerPermission(session.id, request.request_id, { behavior: 'allow', source: 'web' });
    await vibes.waitForTurns(session.id);
    expect(readFileSync(path, 'utf8')).toBe(TEN_LINES.replace('line 6', 'line six'));
    const events = vibes.events(session.id);
    expect(ofType(events, 'permission_resolved')).toMatchObject([{ behavior: 'allow', client_id: 'real-claude-tester', source: 'web' }]);
    // The result carries Claude Code's own patch of what it did.
    const result = ofType(events, 'tool_result').find((event) => event.tool_use_id === request.tool_use_id);
    expect(result?.diff?.hunks.flatMap((hunk) => hunk.lines).filter((line) => line.kind !== 'context')).toEqual([
      { kind: 'removed', old_line: 6, new_line: null, text: 'line 6' },
      { kind: 'added', old_line: null, new_line: 6, text: 'line six' },
    ]);
  });

  it('shows a Write of a new file as its content, and a Bash call with its description and cwd', async ({ expect }) => {
    const marker = vibes.marker('write-bash');
    const cwd = vibes.workDir();
    const path = join(cwd, 'new.md');
    vibes.model.script(marker, [
      reply(toolUse('Write', { file_path: path, content: '# Title\nbody\n' })),
      reply(toolUse('Bash', { command: 'touch   "two  spaces.txt" && echo done', description: 'Create a file and say so' })),
      reply(text('Done.')),
    ]);
    const session = await vibes.start(`Write and run ${marker}`, cwd);
    const write = await vibes.waitForPermission(session.id, 'Write');
    expect(write.display).toMatchObject({
      type: 'diff',
      diff: {
        status: 'created',
        added: 2,
        removed: 0,
        hunks: [
          {
            lines: [
              { kind: 'added', new_line: 1, text: '# Title' },
              { kind: 'added', new_line: 2, text: 'body' },
            ],
          },
        ],
      },
    });
    await vibes.allow(session.id, write.request_id);
    const bash = await vibes.waitForPermission(session.id, 'Bash');
    expect(bash.display).toEqual({
      type: 'command',
      command: 'touch   "two  spaces.txt" && echo done',
      description: 'Create a file and say so',
      cwd,
      run_in_background: false,
      timeout_ms: null,
    });
    await vibes.deny(session.id, bash.request_id, 'Not now.');
    await vibes.waitForTurns(session.id);
  });

  it('sends the chosen answer of an AskUserQuestion to the model', async ({ expect }) => {
    const marker = vibes.marker('question');
    const cwd = vibes.workDir();
    const questions = [
      {
        question: 'Which indentation should I use?',
        header: 'Indent',
        options: [
          { label: 'Tabs', description: 'One tab per level' },
          { label: 'Spaces', description: 'Two spaces per level' },
        ],
        multiSelect: false,
      },
      {
        question: 'Which checks should run?',
        header: 'Checks',
        options: [
          { label: 'Lint', description: 'ESLint' },
          { label: 'Types', description: 'tsc' },
          { label: 'Tests', description: 'vitest' },
        ],
        multiSelect: true,
      },
    ];
    const chat = vibes.model.script(marker, [reply(toolUse('AskUserQuestion', { questions })), reply(text('Thanks.'))]);
    const session = await vibes.start(`Ask me ${marker}`, cwd);
    const request = await vibes.waitForPermission(session.id, 'AskUserQuestion');
    expect(request.kind).toBe('question');
    expect(request.suggestions).toEqual([]);
    expect(request.display).toEqual({
      type: 'question',
      questions: [
        { question: 'Which indentation should I use?', header: 'Indent', multi_select: false, options: questions[0]!.options },
        { question: 'Which checks should run?', header: 'Checks', multi_select: true, options: questions[1]!.options },
      ],
    });
    // Allowing without answers would tell Claude nothing: refused, and the question stays open.
    await expect(vibes.allow(session.id, request.request_id)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await vibes.client().answerPermission(session.id, request.request_id, {
      behavior: 'allow',
      answers: { 'Which indentation should I use?': 'Spaces', 'Which checks should run?': 'Lint, Tests' },
      source: 'web',
    });
    await vibes.waitForTurns(session.id);
    const [told] = toolResults(chat.requests[1]!);
    expect(told?.is_error).toBe(false);
    expect(told?.text).toContain('Spaces');
    expect(told?.text).toContain('Lint, Tests');
    expect(told?.text).not.toContain('did not answer');
    expect(ofType(vibes.events(session.id), 'permission_resolved')).toMatchObject([
      { behavior: 'allow', answers: { 'Which indentation should I use?': 'Spaces', 'Which checks should run?': 'Lint, Tests' } },
    ]);
  });

  it('approving a plan with auto-accept switches the mode, and the next Edit runs without asking', async ({ expect }) => {
    const marker = vibes.marker('plan');
    const cwd = vibes.workDir();
    const path = join(cwd, 'plan.txt');
    writeFileSync(path, 'draft\n');
    const plan = '# Plan\n\n1. Change `draft` to `final`\n2. Say so\n';
    vibes.model.script(marker, [
      reply(toolUse('Read', { file_path: path })),
      // In plan mode Claude Code names the plan file to write; ExitPlanMode then shows that file.
      (request) => reply(toolUse('Write', { file_path: planFileOf(request), content: plan })),
      reply(toolUse('ExitPlanMode', {})),
      reply(toolUse('Edit', { file_path: path, old_string: 'draft', new_string: 'final' })),
      reply(text('Done.')),
    ]);
    const session = await vibes.client().createSession({ prompt: `Plan it ${marker}`, cwd, permission_mode: 'plan' });
    expect(session.permission_mode).toBe('plan');
    const request = await vibes.waitForPermission(session.id, 'ExitPlanMode');
    expect(request.kind).toBe('plan');
    expect(request.display).toMatchObject({ type: 'plan', plan });
    await vibes.client().answerPermission(session.id, request.request_id, { behavior: 'allow', mode: 'acceptEdits', source: 'web' });
    await vibes.waitForTurns(session.id);
    expect(readFileSync(path, 'utf8')).toBe('final\n');
    const events = vibes.events(session.id);
    expect(ofType(events, 'permission_request').map((event) => event.tool_name)).toEqual(['ExitPlanMode']);
    expect(ofType(events, 'permission_resolved')).toMatchObject([{ behavior: 'allow', mode: 'acceptEdits' }]);
    expect(vibes.latest(session.id)?.permission_mode).toBe('acceptEdits');
  });

  it('keeps planning when the plan is denied with feedback', async ({ expect }) => {
    const marker = vibes.marker('plan-deny');
    const cwd = vibes.workDir();
    const chat = vibes.model.script(marker, [
      (request) => reply(toolUse('Write', { file_path: planFileOf(request), content: '# Plan\nDo it all at once\n' })),
      reply(toolUse('ExitPlanMode', {})),
      reply(text('I will split it.')),
    ]);
    const session = await vibes.client().createSession({ prompt: `Plan it ${marker}`, cwd, permission_mode: 'plan' });
    const request = await vibes.waitForPermission(session.id, 'ExitPlanMode');
    expect(request.display).toMatchObject({ type: 'plan', plan: '# Plan\nDo it all at once\n' });
    await vibes.deny(session.id, request.request_id, 'Split it into two steps.');
    await vibes.waitForTurns(session.id);
    const [told] = toolResults(chat.requests[2]!);
    expect(told).toMatchObject({ is_error: true });
    expect(told?.text).toContain('Split it into two steps.');
    expect(vibes.latest(session.id)?.permission_mode).toBe('plan');
  });

  it('"allow always" on a Bash command lets the same command run again without asking', async ({ expect }) => {
    const marker = vibes.marker('always');
    const cwd = vibes.workDir();
    const command = 'touch always.txt';
    vibes.model.script(marker, [
      reply(toolUse('Bash', { command, description: 'Create always.txt' })),
      reply(text('Made it.')),
      reply(toolUse('Bash', { command, description: 'Create always.txt again' })),
      reply(text('Made it again.')),
    ]);
    const session = await vibes.start(`Make a file ${marker}`, cwd);
    const request = await vibes.waitForPermission(session.id, 'Bash');
    const rule = request.suggestions.find((suggestion) => suggestion.description.includes(`\`${command}\``));
    expect(rule, JSON.stringify(request.suggestions)).toBeDefined();
    await vibes.client().answerPermission(session.id, request.request_id, { behavior: 'allow', suggestions: [rule!.id], source: 'web' });
    await vibes.waitForTurns(session.id);
    expect(existsSync(join(cwd, 'always.txt'))).toBe(true);
    expect(ofType(vibes.events(session.id), 'permission_resolved')).toMatchObject([{ applied_suggestions: [rule!.description] }]);

    await vibes.client().sendInput(session.id, `Again ${marker}`);
    await vibes.waitForTurns(session.id, 2);
    expect(ofType(vibes.events(session.id), 'permission_request')).toHaveLength(1);
    expect(ofType(vibes.events(session.id), 'tool_result').filter((result) => !result.is_error)).toHaveLength(2);
  });

  it('an answer cannot swap the command it allows; a suggestion that accepts edits shows that mode to every client', async ({ expect }) => {
    const marker = vibes.marker('no-swap');
    const cwd = vibes.workDir();
    const path = join(cwd, 'lines.txt');
    writeFileSync(path, TEN_LINES);
    vibes.model.script(marker, [
      reply(toolUse('Bash', { command: 'touch asked.txt', description: 'Create asked.txt' })),
      reply(toolUse('Read', { file_path: path })),
      reply(toolUse('Edit', { file_path: path, old_string: 'line 6', new_string: 'line six' })),
      reply(text('Done.')),
    ]);
    const session = await vibes.start(`Make a file and edit another ${marker}`, cwd);
    const bash = await vibes.waitForPermission(session.id, 'Bash');
    const swapped = vibes
      .client()
      .answerPermission(session.id, bash.request_id, { behavior: 'allow', updated_input: { command: 'touch swapped.txt' }, source: 'web' });
    await expect(swapped).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(vibes.latest(session.id)?.pending_permissions.map((pending) => pending.request_id)).toEqual([bash.request_id]);
    await vibes.client().answerPermission(session.id, bash.request_id, { behavior: 'allow', source: 'web' });

    const edit = await vibes.waitForPermission(session.id, 'Edit');
    const accept = edit.suggestions.find((suggestion) => suggestion.mode === 'acceptEdits');
    expect(accept, JSON.stringify(edit.suggestions)).toBeDefined();
    await vibes.client().answerPermission(session.id, edit.request_id, { behavior: 'allow', suggestions: [accept!.id], source: 'web' });
    await vibes.waitForTurns(session.id);
    expect(existsSync(join(cwd, 'asked.txt'))).toBe(true);
    expect(existsSync(join(cwd, 'swapped.txt'))).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(TEN_LINES.replace('line 6', 'line six'));
    expect(vibes.latest(session.id)?.permission_mode).toBe('acceptEdits');
    expect(ofType(vibes.events(session.id), 'system').filter((note) => note.subtype === 'permission_mode')).toMatchObject([
      { mode: 'acceptEdits' },
    ]);
  });

  it('switches mode and model live, lists the models, and refuses bypass without the opt-in', async ({ expect }) => {
    const marker = vibes.marker('mode');
    const cwd = vibes.workDir();
    const path = join(cwd, 'mode.txt');
    writeFileSync(path, 'before\n');
    const chat = vibes.model.script(marker, [
      reply(text('Ready.')),
      reply(toolUse('Read', { file_path: path })),
      reply(toolUse('Edit', { file_path: path, old_string: 'before', new_string: 'after' })),
      reply(text('Changed.')),
    ]);
    const session = await vibes.start(`Get ready ${marker}`, cwd);
    await vibes.waitForTurns(session.id);
    const client = vibes.client();

    await expect(client.setPermissionMode(session.id, 'bypassPermissions')).rejects.toEqual(expect.any(ApiError));
    await expect(client.setPermissionMode(session.id, 'bypassPermissions')).rejects.toMatchObject({
      code: 'BYPASS_NOT_ALLOWED',
      status: 403,
    });
    const updated = await client.setPermissionMode(session.id, 'acceptEdits', 'cli');
    expect(updated.permission_mode).toBe('acceptEdits');
    await vibes.stream.waitFor(
      () => vibes.latest(session.id)?.permission_mode === 'acceptEdits' || undefined,
      'the mode in session_updated',
    );
    expect(ofType(vibes.events(session.id), 'system').map((event) => event.text)).toContain(
      'Permission mode: Accept edits (changed from the CLI)',
    );

    const models = await client.listModels(session.id);
    expect(models.length).toBeGreaterThan(0);
    // `default` and `opus` are the same model today; haiku is another.
    const other = models.find((model) => model.value === 'haiku') ?? models.at(-1)!;
    expect((await client.setModel(session.id, other.value, 'web')).model).toBe(other.value);

    await client.sendInput(session.id, `Now edit ${marker}`);
    await vibes.waitForTurns(session.id, 2);
    expect(readFileSync(path, 'utf8')).toBe('after\n');
    expect(ofType(vibes.events(session.id), 'permission_request')).toEqual([]);
    // The model switch reached the requests Claude makes.
    expect(chat.requests.at(-1)?.body.model).not.toBe(chat.requests[0]?.body.model);
    expect(requestText(chat.requests.at(-1)!)).toContain('Now edit');
  });
});
