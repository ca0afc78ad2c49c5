/**
 * A cap on concurrent requests per client (`maxConcurrentRequests`): an attempt takes a slot before it
 * is sent and gives it back once its body has arrived; backoff waits hold no slot.
 */

/** Takes a slot, resolving to the function that gives it back; `aborted(when)` builds the error for an abort. */
export type Acquire = (signal: AbortSignal | undefined, aborted: (when: string) => Error) => Promise<() => void>;

/** A limiter with `max` slots, or one that never waits when `max` is undefined. */
export function createLimiter(max: number | undefined): Acquire {
  if (max === undefined) return () => Promise.resolve(() => undefined);
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else active--;
  };
  return (signal, aborted) => {
    if (signal?.aborted) return Promise.reject(aborted("before it was sent"));
    if (active < max) {
      active++;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(once(release));
      };
      const onAbort = () => {
        const index = waiting.indexOf(grant);
        if (index !== -1) waiting.splice(index, 1);
        reject(aborted("while waiting for a free request slot"));
      };
      waiting.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };
}

function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      release();
    }
  };
}
