// Undo/redo as three lists of snapshots. Edits that arrive in quick
// succession under the same key (typing in one config field, nudging one
// node with the arrow keys) merge into one step, so undo takes back a word or
// a move rather than a keystroke.

export type History<T> = {
  past: T[];
  present: T;
  future: T[];
  /** The key and time of the last recorded edit, for merging. */
  last: { key: string; at: number } | null;
};

export const HISTORY_LIMIT = 200;
const MERGE_WINDOW_MS = 1000;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], last: null };
}

export function record<T>(
  history: History<T>,
  next: T,
  options: { key?: string; at?: number } = {},
): History<T> {
  if (next === history.present) return history;
  const at = options.at ?? Date.now();
  const merge =
    options.key !== undefined &&
    history.last?.key === options.key &&
    at - history.last.at < MERGE_WINDOW_MS;
  const past = merge ? history.past : [...history.past, history.present].slice(-HISTORY_LIMIT);
  return {
    past,
    present: next,
    future: [],
    last: options.key !== undefined ? { key: options.key, at } : null,
  };
}

/** Replaces the present without an undo step (selection, positions mid-drag). */
export function replacePresent<T>(history: History<T>, present: T): History<T> {
  return { ...history, present };
}

/** Makes `before` the undo step for the present (a drag recorded once, when it ends). */
export function recordSince<T>(history: History<T>, before: T): History<T> {
  if (before === history.present) return history;
  return {
    past: [...history.past, before].slice(-HISTORY_LIMIT),
    present: history.present,
    future: [],
    last: null,
  };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    last: null,
  };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...future] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future, last: null };
}
