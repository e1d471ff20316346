import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ofType, useRealClaude } from '../support/real-claude.ts';
import { reply, requestText, text, toolResults, toolUse } from '../support/scripted-model.ts';

const vibes = useRealClaude();

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
