import { describe, expect, it } from 'vitest';
import { editChanges, questionsOf, resultText, summarizeInput, todosOf } from '../../../lib/protocol/tool-input.ts';

describe('tool inputs', () => {
  it('names each tool call by what matters: the command, the file, the question, the progress', () => {
    expect(summarizeInput('Bash', { command: 'npm test\nnpm run lint', description: 'Test' })).toBe('npm test …');
    expect(summarizeInput('Edit', { file_path: '/a/b.ts', old_string: 'x', new_string: 'y' })).toBe('/a/b.ts');
    expect(summarizeInput('AskUserQuestion', { questions: [{ question: 'Tabs?' }, { question: 'Lint?' }] })).toBe('Tabs? · Lint?');
    expect(summarizeInput('ExitPlanMode', { plan: '# Add multiply\n\nSteps' })).toBe('Add multiply …');
    expect(
      summarizeInput('TodoWrite', {
        todos: [
          { content: 'a', status: 'completed' },
          { content: 'b', status: 'pending' },
          { content: 'c', status: 'in_progress' },
        ],
      }),
    ).toBe('1 of 3 done');
    expect(summarizeInput('Mystery', {})).toBe('');
  });

  it('reads inputs of the wrong shape as empty rather than failing', () => {
    expect(questionsOf({ questions: 'no' })).toEqual([]);
    expect(
      questionsOf({
        questions: [{ question: 'Q?', options: [{ label: 1 }, { label: 'Yes', preview: 'y' }], multiSelect: true }, { options: [] }],
      }),
    ).toEqual([{ question: 'Q?', header: '', multi_select: true, options: [{ label: 'Yes', description: '', preview: 'y' }] }]);
    expect(todosOf({ todos: [{ content: 'a', status: 'odd' }, { status: 'completed' }] })).toEqual([
      { content: 'a', active_form: 'a', status: 'pending' },
    ]);
    expect(editChanges('MultiEdit', { edits: [{ old_string: 'a', new_string: 'b' }, null] })).toEqual([
      { oldText: 'a', newText: 'b' },
      { oldText: '', newText: '' },
    ]);
    expect(editChanges('Write', { content: 'new' })).toEqual([{ oldText: '', newText: 'new' }]);
  });

  it("reads a tool result's text from a string or its text blocks, and shows anything else as JSON", () => {
    expect(resultText('ok')).toBe('ok');
    expect(
      resultText([
        { type: 'text', text: 'a' },
        { type: 'image', source: {} },
        { type: 'text', text: 'b' },
      ]),
    ).toBe('a\nb');
    expect(resultText({ exit: 1 })).toBe('{\n  "exit": 1\n}');
    expect(resultText(undefined)).toBe('');
  });
});
