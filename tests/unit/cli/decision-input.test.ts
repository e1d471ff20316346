import { describe, expect, it } from 'vitest';
import { DecisionInput } from '../../../cli/lib/decision-input.ts';
import type { Decision } from '../../../cli/lib/decision-view.ts';

const base = { request_id: 'r', tool_name: 'Bash', input: {}, suggestions: [] };
const tool: Decision = {
  ...base,
  kind: 'tool',
  display: { type: 'input' },
  suggestions: [
    { id: '0', description: 'rule one', scope: 'local' },
    { id: '1', description: 'rule two', scope: 'session' },
  ],
};
const question: Decision = {
  ...base,
  kind: 'question',
  display: {
    type: 'question',
    questions: [
      {
        question: 'One?',
        header: 'A',
        multi_select: false,
        options: [
          { label: 'x', description: '' },
          { label: 'y', description: '' },
        ],
      },
      {
        question: 'Many?',
        header: 'B',
        multi_select: true,
        options: [
          { label: 'p', description: '' },
          { label: 'q', description: '' },
          { label: 'r', description: '' },
        ],
      },
    ],
  },
};
const plan: Decision = { ...base, kind: 'plan', display: { type: 'plan', plan: '# P', file_path: null } };

describe('answering a decision from typed lines', () => {
  it('tools: a, d with a reason, or the numbers of "don\'t ask again" rules', () => {
    expect(new DecisionInput(tool).take('a')).toEqual({ type: 'answer', body: { behavior: 'allow', source: 'cli' } });
    expect(new DecisionInput(tool).take('d not that one')).toEqual({
      type: 'answer',
      body: { behavior: 'deny', message: 'not that one', source: 'cli' },
    });
    expect(new DecisionInput(tool).take('2, 1')).toEqual({
      type: 'answer',
      body: { behavior: 'allow', suggestions: ['1', '0'], source: 'cli' },
    });
    expect(new DecisionInput(tool).take('3')).toMatchObject({ type: 'invalid' });
    expect(new DecisionInput(tool).take('maybe')).toMatchObject({ type: 'invalid' });
  });

  it('questions: one at a time, by number or in words, several for multi-select', () => {
    const input = new DecisionInput(question);
    expect(input.take('1,2')).toMatchObject({ type: 'invalid', message: 'Choose one option' });
    expect(input.take('2')).toEqual({ type: 'ask', prompt: '' });
    expect(input.questionIndex).toBe(1);
    expect(input.take('3 1')).toEqual({
      type: 'answer',
      body: { behavior: 'allow', answers: { 'One?': 'y', 'Many?': 'r, p' }, source: 'cli' },
    });
    const own = new DecisionInput(question);
    own.take('something else entirely');
    expect(own.take('d')).toEqual({ type: 'answer', body: { behavior: 'deny', source: 'cli' } });
  });

  it('plans: approve with a mode, or keep planning with feedback', () => {
    expect(new DecisionInput(plan).take('1')).toEqual({ type: 'answer', body: { behavior: 'allow', mode: 'acceptEdits', source: 'cli' } });
    expect(new DecisionInput(plan).take('2')).toEqual({ type: 'answer', body: { behavior: 'allow', mode: 'default', source: 'cli' } });
    const keep = new DecisionInput(plan);
    expect(keep.take('3')).toMatchObject({ type: 'ask' });
    expect(keep.take('smaller steps, please')).toEqual({
      type: 'answer',
      body: { behavior: 'deny', message: 'smaller steps, please', source: 'cli' },
    });
  });
});
