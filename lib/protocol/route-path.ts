// Kept apart from the zod schemas so the dashboard can fill paths without pulling zod in.

/** The `:name` parts of a path template, as a union of names. */
export type PathParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

export type PathParams<Path extends string> = { [Name in PathParamNames<Path>]: string };

/** `/api/sessions/:id` with `{ id: 'a b' }` is `/api/sessions/a%20b`. */
export function fillPath<Path extends string>(template: Path, params: PathParams<Path>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = (params as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`No value for :${name} in ${template}`);
    return encodeURIComponent(value);
  });
}

/** Appends the query parameters that are set (not undefined or null), in the order given. */
export function withQuery(path: string, query: object | undefined): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value != null) search.set(key, String(value));
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** A template as a pattern that matches its paths, each `:name` captured as one segment (still encoded). */
export function pathPattern(template: string): RegExp {
  return new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '([^/]+)')}$`);
}
