/**
 * How long a test waits for something that does come: a line of output, an SSE frame, an exit.
 * On a 2-core machine at load 25 one `vibes` start (0.1 s of CPU alone) took 5-14 s, and a whole
 * `vibes claude` turn over 25 s; the bound only turns a hang into a message saying what was
 * awaited before the test's own timeout (60 s for api and cli) ends it.
 */
export const EVENT_WAIT_MS = 45_000;
