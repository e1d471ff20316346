'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { formatBytes, plural } from '../../../lib/client/shared/work-labels.ts';
import type { DiffRow } from '../../../lib/client/shared/patch.ts';
import type { FileEntry, FileListResponse } from '../../../lib/protocol/index.ts';
import { FILE_LIMITS } from '../../../lib/protocol/rules.ts';
import { useFileContent, useFileSearch } from '../../_hooks/use-work.ts';
import { useWindowed } from '../../_hooks/use-windowed.ts';
import { useLive } from '../live-provider.tsx';
import { Input } from '../ui/field.tsx';
import { CodeView, Loading, PathBar, usePreloadViewer, WorkProblem } from './lazy-code-view.tsx';

const ROW_HEIGHT = 44;
const INDENT_REM = 1;

type Folder = { state: 'loading' } | { state: 'loaded'; list: FileListResponse } | { state: 'failed'; error: unknown };

type TreeRow =
  { type: 'entry'; path: string; entry: FileEntry; depth: number } | { type: 'note'; key: string; depth: number; folder: Folder };

const join = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);

/** Why a link cannot be opened, when it cannot. */
const LINK_NOTE: Record<string, string> = {
  outside: 'leads outside the folder',
  forbidden: 'leads somewhere not shown',
  broken: 'broken link',
  other: 'not a file or folder',
};

const isFolder = (entry: FileEntry) => entry.kind === 'dir' || (entry.kind === 'link' && entry.link_target === 'dir');
const isOpenable = (entry: FileEntry) => entry.kind === 'file' || (entry.kind === 'link' && entry.link_target === 'file');

/** The session's folder, read-only: a tree listed a folder at a time as it opens, a name search, and a viewer. */
export default function FilesPanel({ sessionId }: { sessionId: string }) {
  const { api, noteError } = useLive();
  const [folders, setFolders] = useState<ReadonlyMap<string, Folder>>(new Map());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [openFile, setOpenFile] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const search = useDebounced(query.trim(), 250);

  const load = useCallback(
    (path: string) => {
      setFolders((current) => new Map(current).set(path, { state: 'loading' }));
      api.listFiles(sessionId, path).then(
        (list) => setFolders((current) => new Map(current).set(path, { state: 'loaded', list })),
        (error: unknown) => {
          noteError(error);
          setFolders((current) => new Map(current).set(path, { state: 'failed', error }));
        },
      );
    },
    [api, sessionId, noteError],
  );

  useEffect(() => load(''), [load]);

  const toggle = (path: string) => {
    const next = new Set(expanded);
    if (next.has(path)) next.delete(path);
    else {
      next.add(path);
      if (!folders.has(path) || folders.get(path)?.state === 'failed') load(path);
    }
    setExpanded(next);
  };

  const rows = useMemo(() => flatten(folders, expanded), [folders, expanded]);
  const root = folders.get('');

  if (openFile !== null) return <FileViewer sessionId={sessionId} path={openFile} onBack={() => setOpenFile(null)} />;
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="files-panel">
      <div className="border-b border-border px-3 py-2 sm:px-4">
        <label className="sr-only" htmlFor={`file-search-${sessionId}`}>
          Find a file by name
        </label>
        <Input
          id={`file-search-${sessionId}`}
          type="search"
          className="w-full"
          placeholder="Find a file by name"
          value={query}
          maxLength={FILE_LIMITS.searchQueryChars}
          onChange={(event) => setQuery(event.target.value)}
          data-testid="file-search"
        />
      </div>
      {search ? (
        <SearchResults sessionId={sessionId} query={search} onOpen={setOpenFile} />
      ) : root?.state === 'failed' ? (
        <WorkProblem error={root.error} className="p-3" />
      ) : root?.state === 'loaded' && root.list.entries.length === 0 ? (
        <p className="p-4 text-sm text-muted">The folder is empty.</p>
      ) : root?.state === 'loaded' ? (
        <Tree rows={rows} expanded={expanded} onToggle={toggle} onOpen={setOpenFile} />
      ) : (
        <Loading what="the folder" />
      )}
    </div>
  );
}

function flatten(folders: ReadonlyMap<string, Folder>, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (path: string, depth: number) => {
    const folder = folders.get(path);
    if (!folder || folder.state !== 'loaded') {
      if (depth > 0) rows.push({ type: 'note', key: `note:${path}`, depth, folder: folder ?? { state: 'loading' } });
      return;
    }
    for (const entry of folder.list.entries) {
      const child = join(path, entry.name);
      rows.push({ type: 'entry', path: child, entry, depth });
      if (isFolder(entry) && expanded.has(child)) walk(child, depth + 1);
    }
    if (folder.list.truncated) rows.push({ type: 'note', key: `more:${path}`, depth, folder });
  };
  walk('', 0);
  return rows;
}

/** The tree, windowed: only the rows in view are mounted, however many folders are open. */
function Tree({
  rows,
  expanded,
  onToggle,
  onOpen,
}: {
  rows: readonly TreeRow[];
  expanded: ReadonlySet<string>;
  onToggle: (path: string) => void;
  onOpen: (path: string) => void;
}) {
  const { ref, onScroll, first, last, offset, total } = useWindowed(rows.length, ROW_HEIGHT, 10);
  return (
    <div ref={ref} onScroll={onScroll} className="min-h-0 flex-1 overflow-auto overscroll-contain" data-testid="file-tree">
      <div style={{ height: total }}>
        <ul style={{ transform: `translateY(${offset}px)` }} aria-label="Files">
          {rows.slice(first, last).map((row) => (
            <li key={row.type === 'entry' ? row.path : row.key} style={{ height: ROW_HEIGHT, paddingLeft: `${row.depth * INDENT_REM}rem` }}>
              {row.type === 'entry' ? (
                <EntryRow row={row} open={expanded.has(row.path)} onToggle={onToggle} onOpen={onOpen} />
              ) : (
                <FolderNote folder={row.folder} />
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function FolderNote({ folder }: { folder: Folder }) {
  if (folder.state === 'failed') return <WorkProblem error={folder.error} className="truncate px-3 py-3 text-xs" />;
  if (folder.state === 'loaded') {
    return (
      <p className="px-3 py-3 text-xs text-warning-text">
        Only the first {FILE_LIMITS.listEntries.toLocaleString('en-US')} entries are listed: search by name for the rest.
      </p>
    );
  }
  return (
    <p className="px-3 py-3 text-xs text-muted" role="status">
      Loading…
    </p>
  );
}

const ROW_CLASS =
  'flex h-full w-full min-w-0 items-center gap-2 px-3 text-left text-sm hover:bg-surface-hover focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:hover:bg-transparent';

function EntryRow({
  row,
  open,
  onToggle,
  onOpen,
}: {
  row: Extract<TreeRow, { type: 'entry' }>;
  open: boolean;
  onToggle: (path: string) => void;
  onOpen: (path: string) => void;
}) {
  const { entry, path } = row;
  if (isFolder(entry)) {
    return (
      <button
        type="button"
        className={ROW_CLASS}
        aria-expanded={open}
        onClick={() => onToggle(path)}
        data-testid="file-entry"
        data-kind="dir"
        data-path={path}
      >
        <span aria-hidden="true" className="w-3 shrink-0 text-muted">
          {open ? '▾' : '▸'}
        </span>
        <span className="min-w-0 truncate font-mono font-semibold">{entry.name}/</span>
        {entry.kind === 'link' && <span className="shrink-0 text-xs text-muted">link</span>}
      </button>
    );
  }
  const note = entry.kind === 'link' && entry.link_target ? LINK_NOTE[entry.link_target] : entry.kind === 'other' ? LINK_NOTE.other : null;
  return (
    <button
      type="button"
      className={ROW_CLASS}
      disabled={!isOpenable(entry)}
      onClick={() => onOpen(path)}
      data-testid="file-entry"
      data-kind={entry.kind}
      data-path={path}
    >
      <span aria-hidden="true" className="w-3 shrink-0" />
      <span className="min-w-0 flex-1 truncate font-mono">{entry.name}</span>
      <span className="shrink-0 text-xs text-muted">{note ?? (entry.size === null ? '' : formatBytes(entry.size))}</span>
    </button>
  );
}

function SearchResults({ sessionId, query, onOpen }: { sessionId: string; query: string; onOpen: (path: string) => void }) {
  const { data, error, isLoading } = useFileSearch(sessionId, query);
  const matches = data?.matches ?? [];
  const { ref, onScroll, first, last, offset, total } = useWindowed(matches.length, ROW_HEIGHT, 10);
  if (error) return <WorkProblem error={error} className="p-3" />;
  if (isLoading && !data) return <Loading what="matches" />;
  return (
    <div ref={ref} onScroll={onScroll} className="min-h-0 flex-1 overflow-auto overscroll-contain" data-testid="file-search-results">
      <p className="px-3 pt-2 text-xs text-muted sm:px-4" role="status">
        {matches.length === 0 ? `No file name contains “${query}”.` : plural(matches.length, 'match', 'matches')}
        {data?.truncated && ': there may be more, type more of the name'}
      </p>
      <div style={{ height: total }}>
        <ul style={{ transform: `translateY(${offset}px)` }} aria-label="Matching files">
          {matches.slice(first, last).map((path) => (
            <li key={path} style={{ height: ROW_HEIGHT }}>
              <button type="button" className={ROW_CLASS} onClick={() => onOpen(path)} data-testid="file-match" data-path={path}>
                <span className="min-w-0 truncate font-mono">{path}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** A file's text with line numbers and colour; binary files and the server's caps said in words. */
function FileViewer({ sessionId, path, onBack }: { sessionId: string; path: string; onBack: () => void }) {
  const { data, error, isLoading } = useFileContent(sessionId, path);
  usePreloadViewer();
  const rows = useMemo<DiffRow[]>(() => {
    if (!data?.text) return [];
    const lines = data.text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.map((text, index) => ({ kind: 'context', text, oldLine: index + 1, newLine: index + 1 }));
  }, [data]);
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="file-viewer">
      <PathBar path={path} backLabel="All files" onBack={onBack} testId="file-viewer-path">
        {data && (
          <p className="text-xs text-muted">
            {formatBytes(data.size)}
            {data.text !== null && ` · ${plural(rows.length, 'line')}`}
            {data.language && ` · ${data.language}`}
          </p>
        )}
      </PathBar>
      <WorkProblem error={error} className="p-3" />
      {isLoading && !data ? (
        <Loading what="the file" />
      ) : data?.binary || (data && data.text === null) ? (
        <p className="p-4 text-sm text-muted" data-testid="file-binary">
          A binary file ({formatBytes(data.size)}): not shown as text.
        </p>
      ) : data ? (
        <div className="flex min-h-0 flex-1 flex-col gap-1 p-2 sm:p-3">
          {data.truncated && (
            <p className="text-xs text-warning-text" data-testid="file-truncated">
              Only the first {formatBytes(FILE_LIMITS.readBytes)} of {formatBytes(data.size)} is shown.
            </p>
          )}
          {rows.length === 0 ? (
            <p className="text-sm text-muted">The file is empty.</p>
          ) : (
            <CodeView
              rows={rows}
              path={path}
              language={data.language}
              label={`Contents of ${path}`}
              mode="file"
              className="min-h-0 flex-1"
            />
          )}
        </div>
      ) : null}
    </div>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const handle = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(handle);
  }, [value, ms]);
  return settled;
}
