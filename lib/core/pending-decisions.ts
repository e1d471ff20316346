import { isDeepStrictEqual } from 'node:util';
import {
  CLAUDE_CLIENT_ID,
  PermissionMode,
  type DecisionKind,
  type InputSource,
  type PendingPermission,
  type PermissionAnswerBody,
  type TranscriptEvent,
} from '../protocol/index.ts';
import type { PermissionAnswer } from './agent.ts';
import { VibesError } from './errors.ts';
import { requireModeAllowed } from './permission-modes.ts';

type ResolvedEvent = Extract<TranscriptEvent, { type: 'permission_resolved' }>;

export interface AnswerOrigin {
  clientId: string;
  source: InputSource;
  device?: string | undefined;
}

/** An accepted answer: what the agent hands Claude, and the transcript's record of it. */
export interface AcceptedAnswer {
  answer: PermissionAnswer;
  resolved: ResolvedEvent;
  /** The mode the session goes on in, when the answer switches it (a plan approval, a setMode suggestion). */
  mode?: PermissionMode;
}

/** What an answer's `updated_input` may change, by decision kind: only what the kind's form fills in. */
const EDITABLE_INPUT: Record<DecisionKind, readonly string[]> = {
  question: ['answers', 'annotations'],
  plan: [],
  tool: [],
};

/**
 * The decisions a session waits for: each is answered once, by the first client that answers
 * well-formed; later answers are conflicts. An answer is checked against its decision's kind
 * before it is taken, so a bad one changes nothing.
 */
export class PendingDecisions {
  readonly #pending = new Map<string, PendingPermission>();
  readonly #answered = new Set<string>();
  /** The server's opt-in to `bypassPermissions`: without it no answer may switch to that mode. */
  readonly #allowBypass: boolean;

  constructor({ allowBypass = false }: { allowBypass?: boolean } = {}) {
    this.#allowBypass = allowBypass;
  }

  get size(): number {
    return this.#pending.size;
  }

  list(): PendingPermission[] {
    return [...this.#pending.values()];
  }

  add(decision: PendingPermission): void {
    this.#pending.set(decision.request_id, decision);
  }

  /** Takes a client's answer, or throws (NOT_FOUND, CONFLICT, VALIDATION_FAILED, BYPASS_NOT_ALLOWED) and keeps the decision pending. */
  answer(requestId: string, body: PermissionAnswerBody, origin: AnswerOrigin): AcceptedAnswer {
    const decision = this.#pending.get(requestId);
    if (!decision) {
      if (this.#answered.has(requestId)) throw new VibesError('CONFLICT', `Permission request ${requestId} was already answered`);
      throw new VibesError('NOT_FOUND', `No pending permission request ${requestId}`);
    }
    const accepted = checkAnswer(decision, body, origin, this.#allowBypass);
    this.#settle(requestId);
    return accepted;
  }

  /** Claude withdrew the request; false when it was not pending. */
  withdraw(requestId: string): boolean {
    if (!this.#pending.has(requestId)) return false;
    this.#settle(requestId);
    return true;
  }

  /** Withdraws every pending decision (the turn or the agent ended); returns the events to record. */
  withdrawAll(): ResolvedEvent[] {
    return [...this.#pending.keys()].map((requestId) => {
      this.#settle(requestId);
      return { type: 'permission_resolved', request_id: requestId, behavior: 'deny', client_id: CLAUDE_CLIENT_ID };
    });
  }

  #settle(requestId: string): void {
    this.#pending.delete(requestId);
    this.#answered.add(requestId);
  }
}

function checkAnswer(decision: PendingPermission, body: PermissionAnswerBody, origin: AnswerOrigin, allowBypass: boolean): AcceptedAnswer {
  const allow = body.behavior === 'allow';
  const invalid = (message: string) => new VibesError('VALIDATION_FAILED', message);
  if (!allow) {
    for (const field of ['answers', 'updated_input', 'suggestions', 'mode'] as const) {
      if (body[field] !== undefined) throw invalid(`${field} goes with allow, not deny`);
    }
  }
  if (body.answers !== undefined && decision.kind !== 'question') throw invalid('answers are only for questions');
  if (body.mode !== undefined && decision.kind !== 'plan') throw invalid('a mode is only for approving a plan');

  let updatedInput = body.updated_input === undefined ? undefined : editedInput(decision, body.updated_input);
  let answers: Record<string, string> | undefined;
  if (allow && decision.kind === 'question') {
    answers = checkedAnswers(decision, body.answers);
    updatedInput = { ...(updatedInput ?? decision.input), answers };
  }

  const chosen = (body.suggestions ?? []).map((id) => {
    const suggestion = decision.suggestions.find((candidate) => candidate.id === id);
    if (!suggestion) throw invalid(`No suggestion ${id} on this request`);
    return suggestion;
  });
  const modes = chosen.flatMap((suggestion) => (suggestion.mode === undefined ? [] : [allowedMode(suggestion.mode, allowBypass)]));
  const mode = body.mode ?? modes.at(-1);

  const answer: PermissionAnswer = {
    behavior: body.behavior,
    ...(body.message === undefined ? {} : { message: body.message }),
    ...(updatedInput === undefined ? {} : { updatedInput }),
    ...(chosen.length > 0 ? { suggestionIds: chosen.map((suggestion) => suggestion.id) } : {}),
    ...(body.mode === undefined ? {} : { mode: body.mode }),
  };
  const resolved: ResolvedEvent = {
    type: 'permission_resolved',
    request_id: decision.request_id,
    behavior: body.behavior,
    client_id: origin.clientId,
    source: origin.source,
    ...(origin.device === undefined ? {} : { device: origin.device }),
    ...(body.message === undefined ? {} : { message: body.message }),
    ...(answers === undefined ? {} : { answers }),
    ...(chosen.length > 0 ? { applied_suggestions: chosen.map((suggestion) => suggestion.description) } : {}),
    ...(body.mode === undefined ? {} : { mode: body.mode }),
  };
  return { answer, resolved, ...(mode === undefined ? {} : { mode }) };
}

/**
 * The request's input with the fields its kind's form fills in taken from the answer. A field the
 * answer leaves out keeps Claude's value; any other field it changes is refused.
 */
function editedInput(decision: PendingPermission, updated: Record<string, unknown>): Record<string, unknown> | undefined {
  const editable = EDITABLE_INPUT[decision.kind];
  for (const key of Object.keys(updated)) {
    if (editable.includes(key) || isDeepStrictEqual(updated[key], decision.input[key])) continue;
    throw new VibesError(
      'VALIDATION_FAILED',
      `updated_input: an answer may not change ${decision.tool_name}'s \`${key}\`; allow or deny what Claude asked`,
    );
  }
  if (editable.length === 0) return undefined;
  const edits = Object.fromEntries(Object.entries(updated).filter(([key]) => editable.includes(key)));
  return { ...decision.input, ...edits };
}

/** A mode a chosen suggestion switches to: one vibes offers, and bypass only with the opt-in. */
function allowedMode(mode: string, allowBypass: boolean): PermissionMode {
  const known = PermissionMode.safeParse(mode);
  if (!known.success) throw new VibesError('VALIDATION_FAILED', `suggestions: vibes does not switch sessions to the ${mode} mode`);
  requireModeAllowed(known.data, allowBypass);
  return known.data;
}

/** Every question answered, by its exact text; an answer is an option's label or the user's own words. */
function checkedAnswers(decision: PendingPermission, answers: Record<string, string> | undefined): Record<string, string> {
  if (decision.display.type !== 'question') return answers ?? {};
  const questions = decision.display.questions;
  const given = answers ?? {};
  for (const key of Object.keys(given)) {
    if (!questions.some((question) => question.question === key)) {
      throw new VibesError('VALIDATION_FAILED', `answers: Claude did not ask "${key}"`);
    }
  }
  const missing = questions.filter((question) => (given[question.question] ?? '').trim() === '');
  if (missing.length > 0) {
    throw new VibesError(
      'VALIDATION_FAILED',
      `answers: answer ${missing.map((question) => `"${question.question}"`).join(', ')} (or deny to skip the questions)`,
    );
  }
  return Object.fromEntries(questions.map((question) => [question.question, given[question.question]!.trim()]));
}
