import { z } from 'zod';
import { FILE_LIMITS } from './rules.ts';

// Browsing a session's folder, read-only. Paths on the wire are relative to the session's cwd,
// '/'-separated, never absolute and never with '..' segments; '' is the folder itself. The server
// confines every path to the folder (lib/core/work/files.ts) and refuses the rest with
// PATH_OUTSIDE, PATH_FORBIDDEN, INVALID_PATH or NOT_FOUND.

/** A path as a client sends it: checked by the server, not here, so a bad one gets a path error, not VALIDATION_FAILED. */
const RelativePath = z.string();

export const FileListQuery = z.object({ path: RelativePath.default('') });
export type FileListQuery = z.infer<typeof FileListQuery>;

export const FileSearchQuery = z.object({
  q: z.string().min(1).max(FILE_LIMITS.searchQueryChars),
  limit: z.coerce.number().int().positive().max(FILE_LIMITS.searchMatchesMax).default(50),
});
export type FileSearchQuery = z.infer<typeof FileSearchQuery>;

export const FileContentQuery = z.object({ path: RelativePath });
export type FileContentQuery = z.infer<typeof FileContentQuery>;

export const FileKind = z.enum(['file', 'dir', 'link', 'other']);
export type FileKind = z.infer<typeof FileKind>;

/** Where a symbolic link leads: `outside` the folder, `forbidden` (.git, vibes' home), `broken` (missing or a loop). */
export const LinkTarget = z.enum(['file', 'dir', 'other', 'outside', 'forbidden', 'broken']);
export type LinkTarget = z.infer<typeof LinkTarget>;

export const FileEntry = z.object({
  name: z.string(),
  kind: FileKind,
  /** Bytes, for files; null for the rest. */
  size: z.number().int().nonnegative().nullable(),
  /** For a link: what it leads to (only `file` and `dir` can be opened); null for the rest. */
  link_target: LinkTarget.nullable().default(null),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const FileListResponse = z.object({
  path: z.string(),
  /** Folders first, then by name; `.git` and vibes' own home are left out. */
  entries: z.array(FileEntry),
  /** The folder holds more than FILE_LIMITS.listEntries entries: only that many are listed. */
  truncated: z.boolean(),
});
export type FileListResponse = z.infer<typeof FileListResponse>;

export const FileSearchResponse = z.object({
  query: z.string(),
  /** Relative paths of the files whose name contains the query, case-insensitive; shallowest first. */
  matches: z.array(z.string()),
  /** There may be more: the limit was reached, or the search stopped at its time or entry bound. */
  truncated: z.boolean(),
});
export type FileSearchResponse = z.infer<typeof FileSearchResponse>;

export const FileContentResponse = z.object({
  path: z.string(),
  /** The whole file's size in bytes. */
  size: z.number().int().nonnegative(),
  binary: z.boolean(),
  /** Only the first FILE_LIMITS.readBytes are in `text`. */
  truncated: z.boolean(),
  /** UTF-8 text; null when binary. */
  text: z.string().nullable(),
  /** From the extension or name, for highlighting: 'ts', 'python', 'markdown'...; null when unknown or binary. */
  language: z.string().nullable(),
});
export type FileContentResponse = z.infer<typeof FileContentResponse>;
