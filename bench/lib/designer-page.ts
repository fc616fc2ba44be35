import type { BrowserContext, Page } from "@playwright/test";
import { sleep } from "../../inngest-local/bench/support";

// The browser side of the designer benchmark: an init script that timestamps
// the designer's first visible node, the inspector's appearance and the long
// tasks, a requestAnimationFrame recorder, and the gestures (click a node,
// drag the pane, drag a node) with the mouse, through Chromium's input
// pipeline (CDP Input.dispatchMouseEvent) as a user's mouse would arrive.
//
// Every page-side time is performance.now() of the designer document, i.e.
// milliseconds since its navigation started (the document's timeOrigin).

/** What the init script keeps on `window.__designerBench`. */
type PageRecord = {
  firstNodeAt: number | null;
  inspectorAt: number | null;
  longTasks: [start: number, duration: number][];
  recording: boolean;
  frames: number[];
  /** Per frame: the transform of the element being moved (the viewport or a node). */
  transforms: string[];
  tracked: string | null;
};

type Point = { x: number; y: number };

/**
 * Installed before any of the page's scripts. "First node visible": the first
 * frame in which a React Flow node is rendered with `visibility: visible`
 * (React Flow hides a node until it has measured it, and fits the view in the
 * same update). "Inspector appeared": the first DOM mutation that inserted
 * [data-testid=inspector]. Each is stamped after that frame's rendering
 * (requestAnimationFrame, then a task), so both include painting the change.
 */
export async function installRecorder(context: BrowserContext): Promise<void> {
  // tsx (esbuild's keepNames) wraps named functions in `__name(fn, "name")`, and
  // Playwright sends the functions below to the page as source text: the page needs it too.
  await context.addInitScript("globalThis.__name ??= (fn) => fn;");
  await context.addInitScript(() => {
    const record: PageRecord = {
      firstNodeAt: null,
      inspectorAt: null,
      longTasks: [],
      recording: false,
      frames: [],
      transforms: [],
      tracked: null,
    };
    (window as unknown as { __designerBench: PageRecord }).__designerBench = record;
    const afterPaint = (stamp: (at: number) => void) =>
      requestAnimationFrame(() => setTimeout(() => stamp(performance.now()), 0));
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          record.longTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: "longtask", buffered: true });
    } catch {
      // no long task API: the long-task figures stay empty
    }
    const pollFirstNode = () => {
      const nodes = document.querySelectorAll<HTMLElement>(".react-flow__node");
      for (const node of nodes)
        if (node.style.visibility === "visible") {
          afterPaint((at) => {
            record.firstNodeAt = at;
            performance.mark("bench:first-nodes", { startTime: at });
          });
          return;
        }
      requestAnimationFrame(pollFirstNode);
    };
    requestAnimationFrame(pollFirstNode);
    const observer = new MutationObserver(() => {
      if (!document.querySelector("[data-testid=inspector]")) return;
      observer.disconnect();
      afterPaint((at) => {
        record.inspectorAt = at;
        performance.mark("bench:interactive", { startTime: at });
      });
    });
    observer.observe(document, { childList: true, subtree: true });
  });
}

export async function pageRecord(page: Page): Promise<PageRecord> {
  return page.evaluate(
    () => (window as unknown as { __designerBench: PageRecord }).__designerBench,
  );
}

/** When the page's HTML (with the draft in it) had arrived, in ms since navigation start. */
export async function loadPhases(page: Page): Promise<{ htmlMs: number }> {
  return page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0] as
      | PerformanceNavigationTiming
      | undefined;
    return { htmlMs: navigation?.responseEnd ?? Number.NaN };
  });
}

export async function waitForFirstNode(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () =>
      (window as unknown as { __designerBench?: PageRecord }).__designerBench?.firstNodeAt != null,
    undefined,
    { timeout: timeoutMs, polling: 20 },
  );
}

/** What the canvas shows: rendered nodes and edges, and the zoom (from the viewport's transform). */
export async function canvasState(
  page: Page,
): Promise<{ renderedNodes: number; renderedEdges: number; zoom: number }> {
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>(".react-flow__viewport");
    const scale = /scale\(([\d.e-]+)\)/.exec(viewport?.style.transform ?? "");
    return {
      renderedNodes: document.querySelectorAll(".react-flow__node").length,
      renderedEdges: document.querySelectorAll(".react-flow__edge").length,
      zoom: scale ? Number(scale[1]) : Number.NaN,
    };
  });
}

/**
 * The centre of the visible node nearest the canvas's centre (and not under
 * the minimap or the controls), with its id; null when no node qualifies.
 * Hit tests are costly on a canvas of hundreds of nodes and SVG edges (and
 * this runs before the timed click), so only the nearest candidates are
 * hit-tested, nearest first.
 */
export async function nodeNearCentre(page: Page): Promise<(Point & { id: string }) | null> {
  return page.evaluate(() => {
    const canvas = document.querySelector("[data-testid=designer-canvas]");
    if (!canvas) return null;
    const box = canvas.getBoundingClientRect();
    const centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    const candidates: { x: number; y: number; id: string; node: Element; distance: number }[] = [];
    for (const node of document.querySelectorAll<HTMLElement>(".react-flow__node")) {
      if (node.style.visibility !== "visible") continue;
      const rect = node.getBoundingClientRect();
      const x = rect.left + rect.width / 2;
      const y = rect.top + rect.height / 2;
      if (x < box.left || x > box.right || y < box.top || y > box.bottom) continue;
      const distance = Math.hypot(x - centre.x, y - centre.y);
      candidates.push({ x, y, id: node.dataset.id ?? "", node, distance });
    }
    candidates.sort((a, b) => a.distance - b.distance);
    const found = candidates
      .slice(0, 20)
      .find(({ x, y, node }) => node.contains(document.elementFromPoint(x, y)));
    return found ? { x: found.x, y: found.y, id: found.id } : null;
  });
}

/**
 * A point of the empty pane (no node, edge or control there) near the
 * canvas's centre: the first found on rings around it, 16 px apart.
 */
export async function emptyPanePoint(page: Page): Promise<Point | null> {
  return page.evaluate(() => {
    const canvas = document.querySelector("[data-testid=designer-canvas]");
    if (!canvas) return null;
    const box = canvas.getBoundingClientRect();
    const centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    const isPane = (x: number, y: number) =>
      document.elementFromPoint(x, y)?.classList.contains("react-flow__pane") ?? false;
    const reach = Math.min(box.width, box.height) / 2 - 130; // the gesture's circle stays inside
    for (let ring = 0; ring * 16 <= reach; ring++)
      for (let step = 0; step < Math.max(1, ring * 6); step++) {
        const angle = (2 * Math.PI * step) / Math.max(1, ring * 6);
        const x = centre.x + ring * 16 * Math.cos(angle);
        const y = centre.y + ring * 16 * Math.sin(angle);
        if (isPane(x, y)) return { x, y };
      }
    return null;
  });
}

/** Timestamps every animation frame (and the tracked element's transform) until stopped. */
async function startFrames(page: Page, label: string, tracked: string): Promise<void> {
  await page.evaluate(
    ({ label, selector }) => {
      performance.mark(`bench:${label}:start`);
      const record = (window as unknown as { __designerBench: PageRecord }).__designerBench;
      record.frames = [];
      record.transforms = [];
      record.tracked = selector;
      record.recording = true;
      const element = document.querySelector<HTMLElement>(selector);
      const frame = (time: number) => {
        if (!record.recording) return;
        record.frames.push(time);
        record.transforms.push(element?.style.transform ?? "");
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    },
    { label, selector: tracked },
  );
}

async function stopFrames(page: Page, label: string): Promise<{ frames: number[]; moves: number }> {
  return page.evaluate((label) => {
    performance.mark(`bench:${label}:end`);
    const record = (window as unknown as { __designerBench: PageRecord }).__designerBench;
    record.recording = false;
    let moves = 0;
    for (let i = 1; i < record.transforms.length; i++)
      if (record.transforms[i] !== record.transforms[i - 1]) moves += 1;
    return { frames: record.frames, moves };
  }, label);
}

export type FrameRecording = {
  /** requestAnimationFrame timestamps during the gesture. */
  frames: number[];
  /** Frames in which the moved element's transform changed (proof that the gesture moved it). */
  moves: number;
  /** Mouse move events sent. */
  events: number;
  /** Long tasks that started during the gesture, in ms. */
  longTasks: number[];
};

/**
 * Presses at `from`, moves the mouse around a circle of `radiusPx` through
 * `from` (one turn per `periodMs`, one event per `intervalMs`, i.e. small
 * steps as a real mouse reports them) for `durationMs`, back to `from`, and
 * releases; frames are recorded from the press to the last move.
 */
export async function circleGesture(
  page: Page,
  options: {
    from: Point;
    /** Names the gesture's performance marks (bench:<label>:start/end) in a trace. */
    label: string;
    tracked: string;
    durationMs: number;
    radiusPx: number;
    periodMs: number;
    intervalMs: number;
  },
): Promise<FrameRecording> {
  const { from, radiusPx, periodMs, intervalMs } = options;
  await page.mouse.move(from.x, from.y);
  const before = (await pageRecord(page)).longTasks.length;
  await page.mouse.down();
  await startFrames(page, options.label, options.tracked);
  const started = performance.now();
  let events = 0;
  for (let elapsed = 0; elapsed < options.durationMs; elapsed = performance.now() - started) {
    const angle = (2 * Math.PI * elapsed) / periodMs;
    // A circle through `from` (its centre one radius to the left), so the gesture starts there.
    await page.mouse.move(
      from.x - radiusPx + radiusPx * Math.cos(angle),
      from.y + radiusPx * Math.sin(angle),
    );
    events += 1;
    const next = started + events * intervalMs;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await page.mouse.move(from.x, from.y);
  const { frames, moves } = await stopFrames(page, options.label);
  await page.mouse.up();
  const longTasks = (await pageRecord(page)).longTasks
    .slice(before)
    .map(([, duration]) => duration);
  return { frames, moves, events: events + 1, longTasks };
}

/**
 * Clicks the node nearest the centre until the inspector appears (a click
 * that lands while the node is still moving may miss); returns the clicks.
 */
export async function clickNodeUntilInspector(page: Page, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let clicks = 1; Date.now() < deadline; clicks++) {
    const target = await nodeNearCentre(page);
    if (!target) throw new Error("no node of the canvas can be clicked");
    await page.mouse.click(target.x, target.y);
    try {
      await page.waitForFunction(
        () =>
          (window as unknown as { __designerBench: PageRecord }).__designerBench.inspectorAt !==
          null,
        undefined,
        { timeout: Math.min(3_000, Math.max(1, deadline - Date.now())), polling: 20 },
      );
      return clicks;
    } catch {
      // not selected yet: click again
    }
  }
  throw new Error(`the inspector did not appear within ${timeoutMs} ms of clicking a node`);
}
