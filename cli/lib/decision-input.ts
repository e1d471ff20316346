import type { PermissionAnswerBody } from '../../lib/protocol/index.ts';
import { PLAN_CHOICES, type Decision } from './decision-view.ts';

/** What a typed line does to the decision being answered. */
export type DecisionStep =
  | { type: 'answer'; body: PermissionAnswerBody }
  /** More to ask first: the next question, or a plan's feedback. */
  | { type: 'ask'; prompt: string }
  | { type: 'invalid'; message: string };

const ALLOW = /^(a|allow|y|yes)$/i;
const DENY = /^(d|deny|n|no)(?:\s+(.+))?$/i;
const NUMBERS = /^\d+(\s*[, ]\s*\d+)*$/;

/**
 * Answers one decision from lines typed in a terminal: `a` / `d [reason]` / a suggestion's number
 * for tools; an option's number (several for multi-select) or free text per question; 1-3 for a
 * plan, then the feedback. Keeps what was typed so far until the decision is answered.
 */
export class DecisionInput {
  readonly decision: Decision;
  readonly #answers: Record<string, string> = {};
  #question = 0;
  #awaitingFeedback = false;

  constructor(decision: Decision) {
    this.decision = decision;
  }

  /** The question being asked now (questions only). */
  get questionIndex(): number {
    return this.#question;
  }

  get awaitingFeedback(): boolean {
    return this.#awaitingFeedback;
  }

  take(raw: string): DecisionStep {
    const line = raw.trim();
    const { decision } = this;
    if (this.#awaitingFeedback) {
      return { type: 'answer', body: { behavior: 'deny', ...(line ? { message: line } : {}), source: 'cli' } };
    }
    const deny = DENY.exec(line);
    if (deny) return { type: 'answer', body: { behavior: 'deny', ...(deny[2] ? { message: deny[2] } : {}), source: 'cli' } };
    switch (decision.kind) {
      case 'question':
        return this.#question_(line);
      case 'plan':
        return this.#plan(line);
      default:
        return this.#tool(line);
    }
  }

  #tool(line: string): DecisionStep {
    if (ALLOW.test(line)) return { type: 'answer', body: { behavior: 'allow', source: 'cli' } };
    if (NUMBERS.test(line)) {
      const picked = numbers(line);
      const suggestions = this.decision.suggestions;
      if (picked.some((number) => number < 1 || number > suggestions.length)) {
        return {
          type: 'invalid',
          message: suggestions.length > 0 ? `Choose 1 to ${suggestions.length}, a or d` : 'Type a to allow or d to deny',
        };
      }
      return {
        type: 'answer',
        body: { behavior: 'allow', suggestions: picked.map((number) => suggestions[number - 1]!.id), source: 'cli' },
      };
    }
    return { type: 'invalid', message: 'Type a to allow, d to deny (d <reason> tells Claude why)' };
  }

  #plan(line: string): DecisionStep {
    const choice = PLAN_CHOICES.find((candidate) => candidate.key === line);
    if (!choice) return { type: 'invalid', message: 'Choose 1, 2 or 3' };
    if (choice.mode === null) {
      this.#awaitingFeedback = true;
      return { type: 'ask', prompt: 'What should Claude change in the plan? › ' };
    }
    return { type: 'answer', body: { behavior: 'allow', mode: choice.mode as 'acceptEdits' | 'default', source: 'cli' } };
  }

  #question_(line: string): DecisionStep {
    const display = this.decision.display;
    if (display.type !== 'question') return { type: 'answer', body: { behavior: 'allow', source: 'cli' } };
    const question = display.questions[this.#question];
    if (!question) return { type: 'invalid', message: 'No question is open' };
    if (line === '') return { type: 'invalid', message: 'Type a number, or your own answer' };
    let answer = line;
    if (NUMBERS.test(line)) {
      const picked = numbers(line);
      if (picked.some((number) => number < 1 || number > question.options.length))
        return { type: 'invalid', message: `Choose 1 to ${question.options.length}` };
      if (picked.length > 1 && !question.multi_select) return { type: 'invalid', message: 'Choose one option' };
      answer = picked.map((number) => question.options[number - 1]!.label).join(', ');
    }
    this.#answers[question.question] = answer;
    this.#question++;
    if (this.#question < display.questions.length) return { type: 'ask', prompt: '' };
    return { type: 'answer', body: { behavior: 'allow', answers: { ...this.#answers }, source: 'cli' } };
  }
}

function numbers(line: string): number[] {
  return [
    ...new Set(
      line
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number),
    ),
  ];
}
