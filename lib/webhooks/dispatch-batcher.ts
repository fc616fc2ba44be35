// Coalesces work that arrives in a burst into fewer, larger calls: items
// added within `windowMs` of each other (or while the previous call is still
// running) go to `send` together, at most `maxSize` (by `sizeOf`) per call.
// The webhook endpoint uses it to relay lifecycle events to Inngest after the
// response: one event API request and one UPDATE for many deliveries instead
// of one each (npm run bench:webhooks).
//
// This is an in-memory queue in front of a durable outbox, not a queue the
// product relies on: every item is already stored (LifecycleEvent rows with
// dispatchedAt NULL) before it is added here, so items lost with the process
// (a crash, a SIGKILL, a serverless instance frozen mid-window) are re-sent by
// the sweeper (sweep-lifecycle-events). Each instance batches only its own
// deliveries; nothing assumes one process.

export type BatcherOptions<T> = {
  /** How long the first item of a batch waits for company. */
  windowMs: number;
  /** A batch is sent as soon as it holds this much (by `sizeOf`); the cap of one `send`. */
  maxSize: number;
  sizeOf: (item: T) => number;
  /** `send` threw: the batch's items are given up (the outbox has them). */
  onError: (error: unknown, items: T[]) => void;
};

type Entry<T> = { item: T; size: number; settled: () => void };

export class Batcher<T> {
  private queue: Entry<T>[] = [];
  private queuedSize = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly send: (items: T[]) => Promise<unknown>,
    private readonly options: BatcherOptions<T>,
  ) {}

  /**
   * Queues `item`. The promise settles (it never rejects) once the call that
   * carried the item has finished, successfully or not: a caller inside
   * Next's `after()` awaits it, which keeps a serverless instance alive until
   * its deliveries were relayed.
   */
  add(item: T): Promise<void> {
    return new Promise((settled) => {
      const size = this.options.sizeOf(item);
      this.queue.push({ item, size, settled });
      this.queuedSize += size;
      if (this.draining) return; // the running drain takes it next
      if (this.queuedSize >= this.options.maxSize) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.windowMs);
    });
  }

  /** Items waiting for a batch (not counting one being sent). */
  get pending(): number {
    return this.queue.length;
  }

  /** Sends everything queued, without waiting for the window; resolves when the queue is empty. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.draining && this.queue.length === 0) return Promise.resolve();
    this.draining ??= this.drain();
    return this.draining;
  }

  private async drain(): Promise<void> {
    // Yield once, so `this.draining` is assigned before the loop can end.
    await undefined;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        const items = batch.map((entry) => entry.item);
        try {
          await this.send(items);
        } catch (error) {
          this.options.onError(error, items);
        }
        for (const entry of batch) entry.settled();
      }
    } finally {
      // Synchronously after the last emptiness check: an item added from now
      // on starts a new window instead of waiting for a drain that has ended.
      this.draining = undefined;
    }
  }

  private takeBatch(): Entry<T>[] {
    let size = 0;
    let count = 0;
    while (count < this.queue.length) {
      const next = this.queue[count] as Entry<T>;
      if (count > 0 && size + next.size > this.options.maxSize) break;
      size += next.size;
      count += 1;
    }
    this.queuedSize -= size;
    return this.queue.splice(0, count);
  }
}
