/** `promise`, or a rejection with `message` once `ms` have passed; the timer never keeps the process up. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message = 'timed out'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms).unref())),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
