'use client';

import { useId, useState, type FormEvent } from 'react';
import type { Question } from '../../lib/protocol/index.ts';
import { DecisionBar } from './decision-bar.tsx';
import { Button } from './ui/button.tsx';
import { Input } from './ui/field.tsx';

const OTHER = '\u0000other';

/** The answers AskUserQuestion expects: question text -> chosen label (several comma-separated), or the typed "Other". */
export function answersFrom(
  questions: readonly Question[],
  picked: readonly string[][],
  other: readonly string[],
): Record<string, string> | null {
  const answers: Record<string, string> = {};
  for (const [index, question] of questions.entries()) {
    const labels = (picked[index] ?? []).map((label) => (label === OTHER ? (other[index] ?? '').trim() : label)).filter(Boolean);
    if (labels.length === 0) return null;
    answers[question.question] = labels.join(', ');
  }
  return answers;
}

/** Claude's questions as a form: each with its chip, options with what they mean, and a free-text "Other". */
export function QuestionForm({
  questions,
  busy,
  problem,
  onAnswer,
  onDecline,
}: {
  questions: readonly Question[];
  busy: boolean;
  problem: string | null;
  onAnswer: (answers: Record<string, string>) => void;
  onDecline: () => void;
}) {
  const [picked, setPicked] = useState<string[][]>(() => questions.map(() => []));
  const [other, setOther] = useState<string[]>(() => questions.map(() => ''));
  const answers = answersFrom(questions, picked, other);
  const baseId = useId();

  const choose = (index: number, label: string, multi: boolean, on: boolean) =>
    setPicked((current) =>
      current.map((labels, at) => {
        if (at !== index) return labels;
        if (!multi) return [label];
        return on ? [...labels.filter((value) => value !== label), label] : labels.filter((value) => value !== label);
      }),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (answers) onAnswer(answers);
  };

  return (
    <form onSubmit={submit} className="space-y-3" data-testid="question-form">
      {questions.map((question, index) => {
        const name = `${baseId}-q${index}`;
        const labels = picked[index] ?? [];
        const otherChosen = labels.includes(OTHER);
        return (
          <fieldset key={index} className="min-w-0 space-y-1.5" data-testid="question">
            <legend className="mb-1 text-sm">
              {question.header && (
                <span className="vibes-chip mr-1.5" data-testid="question-header">
                  {question.header}
                </span>
              )}
              <span className="font-semibold">{question.question}</span>
              {question.multi_select && <span className="ml-1 text-xs text-muted">(choose any)</span>}
            </legend>
            {question.options.map((option) => (
              <label
                key={option.label}
                className="flex min-h-11 cursor-pointer items-start gap-2 rounded-lg border border-border-strong bg-surface-raised p-2 has-[:checked]:border-accent has-[:checked]:bg-accent-soft"
                data-testid="question-option"
              >
                <input
                  type={question.multi_select ? 'checkbox' : 'radio'}
                  name={name}
                  value={option.label}
                  checked={labels.includes(option.label)}
                  onChange={(event) => choose(index, option.label, question.multi_select, event.target.checked)}
                  className="mt-1 size-4 shrink-0 accent-accent"
                />
                <span className="min-w-0">
                  <span className="block font-semibold break-words">{option.label}</span>
                  {option.description && <span className="block text-xs break-words text-muted">{option.description}</span>}
                </span>
              </label>
            ))}
            <label className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-dashed border-border-strong bg-surface-raised p-2 has-[:checked]:border-accent">
              <input
                type={question.multi_select ? 'checkbox' : 'radio'}
                name={name}
                value={OTHER}
                checked={otherChosen}
                onChange={(event) => choose(index, OTHER, question.multi_select, event.target.checked)}
                className="size-4 shrink-0 accent-accent"
                aria-label="Other"
              />
              <Input
                value={other[index] ?? ''}
                onChange={(event) => {
                  const value = event.target.value;
                  setOther((current) => current.map((text, at) => (at === index ? value : text)));
                  if (value && !otherChosen) choose(index, OTHER, question.multi_select, true);
                }}
                placeholder="Other…"
                aria-label={`Other answer to: ${question.question}`}
                className="min-w-0 flex-1 py-1"
                data-testid="question-other"
                autoComplete="off"
              />
            </label>
          </fieldset>
        );
      })}
      <DecisionBar sticky problem={problem}>
        <div className="flex gap-2">
          <Button variant="primary" type="submit" disabled={busy || !answers} className="flex-1" data-testid="send-answers">
            {questions.length > 1 ? 'Send answers' : 'Send answer'}
          </Button>
          <Button disabled={busy} onClick={onDecline} className="flex-1">
            Don’t answer
          </Button>
        </div>
      </DecisionBar>
    </form>
  );
}
