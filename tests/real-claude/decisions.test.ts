import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ofType, useRealClaude } from '../support/real-claude.ts';
import { reply, requestText, text, toolResults, toolUse } from '../support/scripted-model.ts';

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

// Answering with a choice or a mode comes with the decisions work; until then a plain allow/deny.
describe.concurrent('questions and plans with the real Claude Code', () => {
  it('AskUserQuestion allowed without answers: the model hears the user did not answer', async ({ expect }) => {
    const marker = vibes.marker('ask-allow');
    const chat = vibes.model.script(marker, [reply(toolUse('AskUserQuestion', QUESTION)), reply(text('I will pick blue.'))]);
    const session = await vibes.start(`Make a button ${marker}`, vibes.workDir());
    const request = await vibes.waitForPermission(session.id, 'AskUserQuestion');
    expect(request.input).toEqual(QUESTION);
    await vibes.allow(session.id, request.request_id);
    await vibes.waitForTurns(session.id);
    expect(toolResults(chat.requests[1]!)).toEqual([{ tool_use_id: request.tool_use_id, is_error: false, text: 'The user did not answer the questions.' }]);
  });

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
    // Entering plan mode asked nobody; the plan itself is in the tool call, not in the permission request.
    expect(ofType(vibes.events(session.id), 'permission_request').map((event) => event.tool_name)).toEqual(['ExitPlanMode']);
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
    const agentCall = toolUse('Agent', { description: 'Make a file', prompt: `Create from-agent.txt ${agentMarker}`, subagent_type: 'general-purpose' });
    const agentId = agentCall.type === 'tool_use' ? agentCall.id : '';
    const main = vibes.model.script(marker, [reply(agentCall), reply(text('The agent is on it.')), reply(text('The agent made the file.'))]);
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
    expect(ofType(events, 'tool_result').find((event) => event.tool_use_id === request.tool_use_id)).toMatchObject({ is_error: false, parent_tool_use_id: agentId });
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
