/**
 * How long a test waits for something that does come: a line of output, an SSE frame, an exit.
 * On a loaded 2-core machine one `vibes` start (0.1 s of CPU alone) took 5-14 s; the bound only
 * turns a hang into a message saying what was awaited before the test's own timeout ends it.
 */
export const EVENT_WAIT_MS = 25_000;
