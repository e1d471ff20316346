// A small syntax highlighter: one tokenizer per language family (keywords, strings, comments,
// numbers), line by line, carrying open block comments and multi-line strings to the next line.
// Enough to read code on a phone; not a parser. No dependency, so the dashboard stays small.

export type TokenKind = 'keyword' | 'string' | 'comment' | 'number' | 'literal' | 'type' | 'tag' | 'attr' | 'meta';

export interface Token {
  kind: TokenKind | null;
  text: string;
}

/** What a line leaves open for the next one: the text that closes it and the kind of token it is. */
export type LineState = { close: string; kind: TokenKind } | null;

interface Spec {
  keywords: ReadonlySet<string>;
  literals: ReadonlySet<string>;
  lineComments: readonly string[];
  blockComments: readonly (readonly [string, string])[];
  /** Delimiters of strings that end with the line (or their delimiter); `\` escapes. */
  strings: readonly string[];
  /** Delimiters of strings that may span lines (checked before `strings`). */
  longStrings: readonly string[];
  /** Capitalised names are types (Java, TypeScript, Rust...). */
  types: boolean;
  /** `$name` and `${...}` are variables (shells, PHP). */
  variables: boolean;
  /** A `#` starts a comment only at the line's start or after a space (shells: `$#`, `${#x}`). */
  hashAfterSpace?: boolean;
  /** JSON: a string followed by `:` is a key. */
  keys?: boolean;
  /** Names are case-insensitive (SQL). */
  caseless?: boolean;
}

const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

const C_LITERALS = words('true false null nullptr NULL nil undefined NaN Infinity None True False self this super');
const JS_KEYWORDS = words(`
  abstract as async await break case catch class const continue debugger declare default delete do else enum export
  extends finally for from function get if implements import in infer instanceof interface is keyof let namespace new of
  override private protected public readonly return satisfies set static switch throw try type typeof var void while with yield`);

function cLike(keywords: string, extra: Partial<Spec> = {}): Spec {
  return {
    keywords: words(keywords),
    literals: C_LITERALS,
    lineComments: ['//'],
    blockComments: [['/*', '*/']],
    strings: ['"', "'"],
    longStrings: [],
    types: true,
    variables: false,
    ...extra,
  };
}

function hashed(keywords: string, extra: Partial<Spec> = {}): Spec {
  return {
    keywords: words(keywords),
    literals: C_LITERALS,
    lineComments: ['#'],
    blockComments: [],
    strings: ['"', "'"],
    longStrings: [],
    types: false,
    variables: false,
    ...extra,
  };
}

const SPECS = {
  js: cLike('', { keywords: JS_KEYWORDS, longStrings: ['`'] }),
  go: cLike(
    'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var',
    { longStrings: ['`'], types: false },
  ),
  rust: cLike(
    'as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref return static struct trait type unsafe use where while Self',
  ),
  java: cLike(
    'abstract assert break case catch class const continue default do else enum extends final finally for goto if implements import instanceof interface native new package private protected public record return sealed static strictfp switch synchronized throw throws transient try var void volatile while yield',
    { longStrings: ['"""'] },
  ),
  kotlin: cLike(
    'as break class companion continue data do else enum false for fun if import in interface internal is lateinit object open operator override package private protected public return sealed super suspend this throw try typealias val var when while',
    { longStrings: ['"""'] },
  ),
  c: cLike(
    'auto break case char class const constexpr continue default delete do double else enum explicit extern float for friend goto if inline int long namespace new noexcept operator private protected public register return short signed sizeof static struct switch template throw try typedef typename union unsigned using virtual void volatile while #include #define #ifdef #ifndef #endif #if #else #pragma',
    { types: false },
  ),
  csharp: cLike(
    'abstract as async await base bool break byte case catch char class const continue decimal default delegate do double else enum event explicit extern finally fixed float for foreach get if implicit in int interface internal is lock long namespace new object operator out override params private protected public readonly record ref return sealed set short sizeof static string struct switch throw try typeof uint ulong using var virtual void volatile while yield',
  ),
  swift: cLike(
    'associatedtype break case catch class continue default defer do else enum extension fallthrough fileprivate for func guard if import in init inout internal is let open operator private protocol public repeat return static struct subscript switch throw throws try typealias var where while',
    { longStrings: ['"""'] },
  ),
  php: cLike(
    'abstract and array as break callable case catch class clone const continue declare default do echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile extends final finally fn for foreach function global goto if implements include instanceof interface isset list match namespace new or print private protected public readonly require return static switch throw trait try unset use var while yield',
    { lineComments: ['//', '#'], variables: true },
  ),
  css: cLike('@media @import @keyframes @font-face @supports @layer @apply @theme @tailwind !important', {
    literals: words('inherit initial unset none auto'),
    types: false,
  }),
  python: hashed(
    'and as assert async await break class continue def del elif else except finally for from global if import in is lambda match case nonlocal not or pass raise return try while with yield',
    { longStrings: ['"""', "'''"], types: true },
  ),
  ruby: hashed(
    'alias and begin break case class def defined? do else elsif end ensure for if in module next not or redo rescue retry return self super then undef unless until when while yield require require_relative attr_accessor attr_reader',
    { literals: words('true false nil self') },
  ),
  shell: hashed(
    'if then else elif fi for while until do done case esac in function return exit local export readonly declare set unset source echo cd',
    { variables: true, hashAfterSpace: true },
  ),
  yaml: hashed('', { literals: words('true false null yes no on off ~'), keys: true }),
  toml: hashed('', { literals: words('true false') }),
  dockerfile: hashed('FROM RUN CMD LABEL EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG ONBUILD STOPSIGNAL HEALTHCHECK SHELL AS', {
    variables: true,
  }),
  makefile: hashed('ifeq ifneq ifdef ifndef else endif include define endef export override', { variables: true }),
  r: hashed('if else repeat while function for in next break', { literals: words('TRUE FALSE NULL NA Inf NaN') }),
  lua: {
    ...hashed('and break do else elseif end for function goto if in local not or repeat return then until while'),
    lineComments: ['--'],
    literals: words('true false nil'),
  },
  sql: {
    ...hashed(
      'select from where and or not insert into values update set delete create table index view drop alter add column primary key foreign references join left right inner outer on as group by order having limit offset union all distinct case when then else end is in exists begin commit rollback transaction default unique check constraint if returning with',
    ),
    lineComments: ['--'],
    blockComments: [['/*', '*/']],
    literals: words('true false null'),
    caseless: true,
  },
  json: { ...hashed(''), lineComments: [], strings: ['"'], literals: words('true false null'), keys: true },
} satisfies Record<string, Spec>;

export type Language = keyof typeof SPECS | 'html' | 'markdown';

const BY_EXTENSION: Record<string, Language> = {
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  jsx: 'js',
  ts: 'js',
  mts: 'js',
  cts: 'js',
  tsx: 'js',
  vue: 'html',
  svelte: 'html',
  go: 'go',
  rs: 'rust',
  java: 'java',
  scala: 'java',
  groovy: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  c: 'c',
  h: 'c',
  cc: 'c',
  cpp: 'c',
  cxx: 'c',
  hpp: 'c',
  hh: 'c',
  m: 'c',
  mm: 'c',
  cs: 'csharp',
  swift: 'swift',
  dart: 'java',
  php: 'php',
  css: 'css',
  scss: 'css',
  less: 'css',
  py: 'python',
  pyi: 'python',
  rb: 'ruby',
  rake: 'ruby',
  gemspec: 'ruby',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  fish: 'shell',
  ksh: 'shell',
  env: 'shell',
  yml: 'yaml',
  yaml: 'yaml',
  toml: 'toml',
  ini: 'toml',
  cfg: 'toml',
  conf: 'toml',
  r: 'r',
  lua: 'lua',
  sql: 'sql',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  webmanifest: 'json',
  html: 'html',
  htm: 'html',
  xml: 'html',
  svg: 'html',
  xhtml: 'html',
  plist: 'html',
  md: 'markdown',
  mdx: 'markdown',
  markdown: 'markdown',
};

const BY_NAME: Record<string, Language> = {
  dockerfile: 'dockerfile',
  containerfile: 'dockerfile',
  makefile: 'makefile',
  gnumakefile: 'makefile',
  gemfile: 'ruby',
  rakefile: 'ruby',
  '.bashrc': 'shell',
  '.zshrc': 'shell',
  '.profile': 'shell',
};

/** Names a server or another tool may use for a language, beside the file extensions. */
const ALIASES: Record<string, Language | 'none'> = {
  javascript: 'js',
  typescript: 'js',
  python: 'python',
  rust: 'rust',
  cpp: 'c',
  csharp: 'csharp',
  dockerfile: 'dockerfile',
  makefile: 'makefile',
  haskell: 'lua',
  golang: 'go',
  ruby: 'ruby',
  perl: 'shell',
  elixir: 'ruby',
  kotlin: 'kotlin',
  scala: 'java',
  zig: 'rust',
  protobuf: 'c',
  graphql: 'yaml',
  hcl: 'toml',
  nix: 'toml',
  cmake: 'makefile',
  'c++': 'c',
  'c#': 'csharp',
  shell: 'shell',
  powershell: 'shell',
  dotenv: 'shell',
  ignore: 'shell',
  html: 'html',
  xml: 'html',
  vue: 'html',
  svelte: 'html',
  scss: 'css',
  sass: 'css',
  less: 'css',
  ini: 'toml',
  text: 'none',
  diff: 'none',
  csv: 'none',
};

/** The language of a file, from the server's hint when it names one we know, else from its name. */
export function languageFor(path: string, hint: string | null = null): Language | null {
  const known = hint ? (ALIASES[hint.toLowerCase()] ?? BY_EXTENSION[hint.toLowerCase()]) : undefined;
  if (known) return known === 'none' ? null : known;
  const name = (path.split('/').pop() ?? '').toLowerCase();
  const byName = BY_NAME[name] ?? (name.startsWith('dockerfile') ? 'dockerfile' : undefined);
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  return dot > 0 || (dot === 0 && name.length > 1) ? (BY_EXTENSION[name.slice(dot + 1)] ?? null) : null;
}

/** Every line's tokens, in order: what a line leaves open carries to the next. */
export function highlightLines(lines: readonly string[], language: Language | null): Token[][] {
  let state: LineState = null;
  return lines.map((line) => {
    const result = highlightLine(line, language, state);
    state = result.state;
    return result.tokens;
  });
}

/**
 * The same tokens, computed on demand: asking for line n tokenizes up to n once. A long diff
 * shows its first screen without colouring the thousands of lines below it.
 */
export class LazyHighlight {
  readonly #lines: readonly string[];
  readonly #language: Language | null;
  readonly #tokens: Token[][] = [];
  #state: LineState = null;

  constructor(lines: readonly string[], language: Language | null) {
    this.#lines = lines;
    this.#language = language;
  }

  at(index: number): Token[] {
    while (this.#tokens.length <= index && this.#tokens.length < this.#lines.length) {
      const result = highlightLine(this.#lines[this.#tokens.length] ?? '', this.#language, this.#state);
      this.#tokens.push(result.tokens);
      this.#state = result.state;
    }
    return this.#tokens[index] ?? [];
  }
}

/** One line's tokens, given what the line before left open. */
export function highlightLine(line: string, language: Language | null, state: LineState): { tokens: Token[]; state: LineState } {
  if (language === null || line.length > MAX_LINE) return { tokens: [{ kind: null, text: line }], state: null };
  if (language === 'html') return markupLine(line, state);
  if (language === 'markdown') return { tokens: markdownLine(line), state: null };
  return codeLine(line, SPECS[language], state);
}

/** Past this, a line is minified or data: shown plain, since colour would not help reading it. */
const MAX_LINE = 2_000;

const IDENTIFIER = /[A-Za-z_$@#][\w$?!-]*/y;
const PLAIN_IDENTIFIER = /[A-Za-z_][\w]*/y;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)[a-zA-Z%]*/y;
const VARIABLE = /\$(?:\{[^}]*\}|[A-Za-z_]\w*|[@#?$!*\d])/y;

class Tokens {
  readonly list: Token[] = [];

  push(kind: TokenKind | null, text: string) {
    if (!text) return;
    const last = this.list.at(-1);
    if (last && last.kind === kind) last.text += text;
    else this.list.push({ kind, text });
  }
}

function codeLine(line: string, spec: Spec, state: LineState): { tokens: Token[]; state: LineState } {
  const out = new Tokens();
  let at = 0;
  if (state) {
    const end = line.indexOf(state.close);
    if (end < 0) {
      out.push(state.kind, line);
      return { tokens: out.list, state };
    }
    at = end + state.close.length;
    out.push(state.kind, line.slice(0, at));
  }
  const identifier = spec.types || spec.caseless ? PLAIN_IDENTIFIER : IDENTIFIER;
  while (at < line.length) {
    const char = line[at] ?? '';
    const comment = spec.lineComments.find((open) => line.startsWith(open, at));
    if (comment && !(comment === '#' && spec.hashAfterSpace && at > 0 && !/\s/.test(line[at - 1] ?? ''))) {
      out.push('comment', line.slice(at));
      return { tokens: out.list, state: null };
    }
    const block = spec.blockComments.find(([open]) => line.startsWith(open, at));
    if (block) {
      const end = line.indexOf(block[1], at + block[0].length);
      if (end < 0) {
        out.push('comment', line.slice(at));
        return { tokens: out.list, state: { close: block[1], kind: 'comment' } };
      }
      out.push('comment', line.slice(at, end + block[1].length));
      at = end + block[1].length;
      continue;
    }
    const long = spec.longStrings.find((open) => line.startsWith(open, at));
    if (long) {
      const end = findClose(line, long, at + long.length);
      if (end < 0) {
        out.push('string', line.slice(at));
        return { tokens: out.list, state: { close: long, kind: 'string' } };
      }
      out.push('string', line.slice(at, end));
      at = end;
      continue;
    }
    if (spec.strings.includes(char)) {
      const found = findClose(line, char, at + 1);
      const end = found < 0 ? line.length : found;
      const text = line.slice(at, end);
      out.push(spec.keys && /^\s*:/.test(line.slice(end)) ? 'attr' : 'string', text);
      at = end;
      continue;
    }
    if (spec.variables && char === '$') {
      VARIABLE.lastIndex = at;
      const match = VARIABLE.exec(line);
      if (match) {
        out.push('attr', match[0]);
        at += match[0].length;
        continue;
      }
    }
    const before = at > 0 ? (line[at - 1] ?? '') : '';
    if (/[\d.]/.test(char) && !/[\w$]/.test(before)) {
      NUMBER.lastIndex = at;
      const match = NUMBER.exec(line);
      if (match && /\d/.test(match[0])) {
        out.push('number', match[0]);
        at += match[0].length;
        continue;
      }
    }
    identifier.lastIndex = at;
    const name = /[A-Za-z_$@#]/.test(char) && !/[\w$]/.test(before) ? identifier.exec(line) : null;
    if (name) {
      const word = name[0];
      const key = spec.caseless ? word.toLowerCase() : word;
      if (spec.keys && /^\s*:/.test(line.slice(at + word.length)) && !spec.keywords.has(key)) out.push('attr', word);
      else if (spec.keywords.has(key)) out.push('keyword', word);
      else if (spec.literals.has(key)) out.push('literal', word);
      else if (spec.types && /^[A-Z][a-z]/.test(word)) out.push('type', word);
      else out.push(null, word);
      at += word.length;
      continue;
    }
    out.push(null, char);
    at++;
  }
  return { tokens: out.list, state: null };
}

/** Where a string opened by `quote` ends (after its closing quote), or -1 when it runs past the line. */
function findClose(line: string, quote: string, from: number): number {
  for (let at = from; at < line.length; at++) {
    if (line[at] === '\\') at++;
    else if (line.startsWith(quote, at)) return at + quote.length;
  }
  return -1;
}

const MARKUP = /<!--|<\/?[A-Za-z][\w:.-]*|\/?>|"[^"]*"?|'[^']*'?|[\w:.-]+(?==)|[^<>"'\w]+|[\w]+|./gy;

function markupLine(line: string, state: LineState): { tokens: Token[]; state: LineState } {
  const out = new Tokens();
  let at = 0;
  let inTag = state?.kind === 'tag';
  if (state?.kind === 'comment') {
    const end = line.indexOf('-->');
    if (end < 0) {
      out.push('comment', line);
      return { tokens: out.list, state };
    }
    at = end + 3;
    out.push('comment', line.slice(0, at));
  }
  MARKUP.lastIndex = at;
  for (let match = MARKUP.exec(line); match; match = MARKUP.exec(line)) {
    const text = match[0];
    if (text === '<!--') {
      const end = line.indexOf('-->', MARKUP.lastIndex);
      if (end < 0) {
        out.push('comment', line.slice(match.index));
        return { tokens: out.list, state: { close: '-->', kind: 'comment' } };
      }
      out.push('comment', line.slice(match.index, end + 3));
      MARKUP.lastIndex = end + 3;
    } else if (text.startsWith('<') && text.length > 1) {
      inTag = true;
      out.push('tag', text);
    } else if (text === '>' || text === '/>') {
      inTag = false;
      out.push('tag', text);
    } else if (inTag && (text.startsWith('"') || text.startsWith("'"))) out.push('string', text);
    else if (inTag && /^[\w:.-]+$/.test(text) && line[MARKUP.lastIndex] === '=') out.push('attr', text);
    else out.push(null, text);
  }
  return { tokens: out.list, state: inTag ? { close: '>', kind: 'tag' } : null };
}

function markdownLine(line: string): Token[] {
  if (/^\s{0,3}#{1,6}\s/.test(line)) return [{ kind: 'keyword', text: line }];
  if (/^\s*(```|~~~)/.test(line)) return [{ kind: 'meta', text: line }];
  const out = new Tokens();
  for (const part of line.split(/(`[^`]*`)/)) out.push(part.startsWith('`') && part.length > 1 ? 'string' : null, part);
  return out.list;
}
