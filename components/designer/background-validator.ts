"use client";

import type { DefinitionProblem } from "@/lib/workflows/validate";
import { validateDefinitionSync } from "@/lib/workflows/validate";

// Runs the engine's validator in a Web Worker and hands back only the answer
// to the newest request (an older one still in flight is dropped). Where a
// worker cannot start, it validates on the main thread instead.

export type BackgroundValidator = {
  validate(definition: unknown, onProblems: (problems: DefinitionProblem[]) => void): void;
  stop(): void;
};

export function startBackgroundValidator(): BackgroundValidator {
  let worker: Worker | null = null;
  try {
    worker = new Worker(new URL("./validation.worker.ts", import.meta.url), { type: "module" });
  } catch {
    worker = null;
  }
  let latest = 0;
  let deliver: ((problems: DefinitionProblem[]) => void) | null = null;
  if (worker)
    worker.onmessage = (event: MessageEvent<{ id: number; problems: DefinitionProblem[] }>) => {
      if (event.data.id === latest) deliver?.(event.data.problems);
    };
  return {
    validate(definition, onProblems) {
      if (!worker) {
        onProblems(validateDefinitionSync(definition).problems);
        return;
      }
      latest += 1;
      deliver = onProblems;
      worker.postMessage({ id: latest, definition });
    },
    stop() {
      worker?.terminate();
    },
  };
}
