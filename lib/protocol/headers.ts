// Kept apart from the zod schemas so the dashboard can import it without pulling zod in.

/** The header in which a client names itself on every request. */
export const CLIENT_ID_HEADER = 'x-vibes-client-id';
