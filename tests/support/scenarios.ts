/** Prompts that make the fake Claude play a scenario (README, "Demo and the fake Claude"). */
export const SCENARIO = {
  /** A reply slow enough to still be running after a short wait. */
  slowReply: 'stream 60 chunks every 100ms',
  /** A reply paced so a client can drop and come back in the middle of it. */
  paced: 'stream 30 chunks every 40ms',
  /** More events than the replay ring of the event-stream tests holds. */
  burst: 'stream 400 chunks every 0ms',
  /** 8 MB of events per turn (4 MB of deltas, the same again as the final text); a few turns
   * overflow a stalled client's buffer and the loopback socket under it. */
  bulky: 'stream 200 chunks of 20000 chars every 1ms',
} as const;
