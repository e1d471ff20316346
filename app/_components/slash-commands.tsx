'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import useSWR from 'swr';
import type { SessionInfo, SlashCommand } from '../../lib/protocol/index.ts';
import { useLive } from './live-provider.tsx';
import { errorMessage } from '../../lib/protocol/text.ts';

/** A `/` at the start with no space yet: the name of a command being typed. */
const TYPING_COMMAND = /^\/(\S*)$/;
/** A command and the start of its arguments. */
const COMMAND_WITH_ARGUMENTS = /^\/(\S+)\s/;

/** Commands whose name starts with what was typed first, then those that contain it. */
export function filterCommands(commands: readonly SlashCommand[], typed: string): SlashCommand[] {
  const query = typed.toLowerCase();
  const starts = commands.filter((command) => command.name.toLowerCase().startsWith(query));
  const contains = commands.filter(
    (command) => !command.name.toLowerCase().startsWith(query) && command.name.toLowerCase().includes(query),
  );
  return [...starts, ...contains];
}

/**
 * The composer's slash-command menu: typing `/` at the start lists the session's commands as
 * Claude Code reports them, filtered as you type. Arrows move, Tab inserts `/name `, Enter runs
 * a command that takes no arguments (as the terminal does) or inserts one that does, Escape
 * closes. The composer renders `menu`, spreads `fieldProps` on its field and lets `onKeyDown` go first.
 */
export function useSlashCommands({
  session,
  text,
  setText,
  run,
}: {
  session: SessionInfo;
  text: string;
  setText: (text: string) => void;
  /** Sends a whole command now. */
  run: (content: string) => void;
}) {
  const { api } = useLive();
  const listId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const [cursor, setCursor] = useState({ query: '', index: 0 });
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);
  const typing = TYPING_COMMAND.exec(text);
  const live = session.ended_at === null && session.state !== 'finished' && session.state !== 'failed';
  // Claude answers from what it said at start (or pushed since): asked again when its session changes.
  const { data, error, isLoading } = useSWR<SlashCommand[], unknown>(
    live && text.startsWith('/') ? ['commands', session.id, session.claude_session_id] : null,
    () => api.listCommands(session.id),
    { revalidateOnFocus: false, shouldRetryOnError: false },
  );

  const query = typing?.[1] ?? '';
  const open = typing !== null && live && dismissedAt !== text;
  const matches = open ? filterCommands(data ?? [], query) : [];
  const index = cursor.query === query ? Math.min(cursor.index, Math.max(0, matches.length - 1)) : 0;
  const active = matches[index];
  const optionId = (at: number) => `${listId}-option-${at}`;

  useEffect(() => {
    if (open) listRef.current?.querySelector(`[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [open, index]);

  function choose(command: SlashCommand, how: 'insert' | 'run') {
    if (how === 'run' && command.argument_hint === '') run(`/${command.name}`);
    else setText(`/${command.name} `);
  }

  /** True when the key was the menu's. */
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open || event.nativeEvent.isComposing) return false;
    const move = (by: number) => {
      event.preventDefault();
      if (matches.length > 0) setCursor({ query, index: (index + by + matches.length) % matches.length });
    };
    switch (event.key) {
      case 'ArrowDown':
        move(1);
        return true;
      case 'ArrowUp':
        move(-1);
        return true;
      case 'Escape':
        event.preventDefault();
        setDismissedAt(text);
        return true;
      case 'Tab':
      case 'Enter':
        if (!active || event.shiftKey) return false;
        event.preventDefault();
        choose(active, event.key === 'Tab' ? 'insert' : 'run');
        return true;
      default:
        return false;
    }
  }

  const withArguments = COMMAND_WITH_ARGUMENTS.exec(text);
  const chosen = withArguments ? data?.find((command) => command.name === withArguments[1]) : undefined;
  const hint = chosen && chosen.argument_hint !== '' && text.trim() === `/${chosen.name}` ? chosen : undefined;

  const menu = open ? (
    <div className="mb-2 overflow-hidden rounded-lg border border-border bg-surface-raised shadow-lg" data-testid="slash-menu">
      {matches.length > 0 ? (
        <ul
          ref={listRef}
          id={listId}
          role="listbox"
          aria-label="Slash commands"
          className="max-h-64 overflow-y-auto overscroll-contain py-1"
        >
          {matches.map((command, at) => (
            <li
              // Claude may list two rows of one name (a built-in and a user's command).
              key={`${command.name}-${at}`}
              id={optionId(at)}
              data-index={at}
              role="option"
              aria-selected={at === index}
              data-testid="slash-option"
              // Keeps the focus (and a phone's keyboard) in the field.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(command, 'run')}
              className={`flex min-h-11 cursor-pointer flex-col justify-center px-3 py-1 sm:min-h-9 ${at === index ? 'bg-accent-soft' : 'hover:bg-surface-hover'}`}
            >
              <span className="truncate text-sm">
                <span className="font-mono font-semibold">/{command.name}</span>
                {command.argument_hint && <span className="ml-2 font-mono text-muted">{command.argument_hint}</span>}
              </span>
              {command.description && <span className="truncate text-xs text-muted">{command.description}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-3 py-2 text-xs text-muted" role="status">
          {error
            ? `The commands cannot be listed: ${errorMessage(error)}`
            : isLoading || !data
              ? 'Loading commands…'
              : `No command starts with /${query}: sent as it is, Claude reads it as a message`}
        </p>
      )}
    </div>
  ) : hint ? (
    <p className="mb-1 truncate text-xs text-muted" data-testid="slash-hint">
      <span className="font-mono">
        /{hint.name} {hint.argument_hint}
      </span>
      {hint.description && <span> · {hint.description}</span>}
    </p>
  ) : null;

  // A textarea keeps its textbox role (a combobox role is not allowed on it); these it may carry.
  const fieldProps = {
    'aria-autocomplete': 'list',
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open && active ? optionId(index) : undefined,
  } as const;

  return { menu, onKeyDown, fieldProps };
}
