import { describe, expect, it } from "vitest";
import { Batcher } from "./dispatch-batcher";

// The coalescing queue on its own: what goes into which call. The relay it
// feeds (real engine, real rows) is tested in dispatch.test.ts.

type Call = number[];

function recorder(options: { failOn?: (items: number[]) => boolean; slowMs?: number } = {}) {
  const calls: Call[] = [];
  const errors: Call[] = [];
  const batcher = new Batcher<number>(
    async (items) => {
      calls.push(items);
      if (options.slowMs) await new Promise((resolve) => setTimeout(resolve, options.slowMs));
      if (options.failOn?.(items)) throw new Error("send failed");
    },
    {
      windowMs: 5,
      maxSize: 10,
      sizeOf: () => 1,
      onError: (_error, items) => errors.push(items),
    },
  );
  return { batcher, calls, errors };
}

describe("Batcher", () => {
  it("sends items added in the same window in one call, in order", async () => {
    const { batcher, calls } = recorder();
    await Promise.all([1, 2, 3, 4].map((item) => batcher.add(item)));
    expect(calls).toEqual([[1, 2, 3, 4]]);
  });

  it("caps a call at maxSize and sends a full batch without waiting for the window", async () => {
    const { batcher, calls } = recorder();
    await Promise.all(Array.from({ length: 25 }, (_, index) => batcher.add(index)));
    expect(calls.map((call) => call.length)).toEqual([10, 10, 5]);
    expect(calls.flat()).toEqual(Array.from({ length: 25 }, (_, index) => index));
  });

  it("sends what arrives while a call is running in the next call", async () => {
    const { batcher, calls } = recorder({ slowMs: 30 });
    const first = batcher.add(1);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the first call is under way
    const later = [batcher.add(2), batcher.add(3)];
    await Promise.all([first, ...later]);
    expect(calls).toEqual([[1], [2, 3]]);
  });

  it("settles every caller when a call fails, reports the failed items and keeps working", async () => {
    const { batcher, calls, errors } = recorder({ failOn: (items) => items.includes(2) });
    await Promise.all([batcher.add(1), batcher.add(2)]);
    expect(errors).toEqual([[1, 2]]);
    await batcher.add(3);
    expect(calls).toEqual([[1, 2], [3]]);
    expect(errors).toHaveLength(1);
  });

  it("flush() sends at once and resolves when nothing is left", async () => {
    const { batcher, calls } = recorder();
    const added = batcher.add(7);
    expect(batcher.pending).toBe(1);
    await batcher.flush();
    expect(calls).toEqual([[7]]);
    expect(batcher.pending).toBe(0);
    await added;
    await batcher.flush(); // nothing queued: resolves without a call
    expect(calls).toHaveLength(1);
  });
});
