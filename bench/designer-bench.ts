import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Browser, type BrowserContext, chromium } from "@playwright/test";
import type { WorkflowDefinition } from "@/lib/workflows/definition";
import { validateDefinitionSync } from "@/lib/workflows/validate";
import { PASSWORD, signInForApi, signUpForApi } from "../e2e/support/accounts";
import { Child, percentile, round, sleep, table } from "../inngest-local/bench/support";
import { assertPortFree } from "../scripts/lib/ports";
import {
  canvasState,
  circleGesture,
  clickNodeUntilInspector,
  emptyPanePoint,
  type FrameRecording,
  installRecorder,
  loadPhases,
  nodeNearCentre,
  pageRecord,
  waitForFirstNode,
} from "./lib/designer-page";
import { largeOnboardingWorkflow } from "./lib/large-workflow";
import {
  buildModeOf,
  ensureProductionBuild,
  repoRoot,
  snapshotProductionBuild,
} from "./lib/production-build";

// `npm run bench:designer` (issue 7): the workflow designer
// (/o/{slug}/workflows/{id}) of the production build in headless Chromium
// (Debian's, software rendering: --disable-gpu), at 1280 × 720, opening a
// 500-node workflow and a 10-node one (the baseline) in the same run.
//
// The app is served by e2e/support/start-app.ts (next start on a fresh
// embedded Postgres with migrations, the fake Resend on port+1 and the local
// executor on port+2) from a hard-linked copy of .next (bench/lib/
// production-build.ts). An organisation is signed up through the API, and the
// workflows are created with POST /api/v1/workflows in the browser context's
// request (sharing its session cookie); both definitions pass the validator
// with no problems before they are used.
//
// Each repetition opens the workflow in a new page (same context: the HTTP
// cache is warm after the warm-up, as for someone who has used the app) and
// measures, in order:
//   first nodes   ms from navigation start until the first frame in which a
//                 React Flow node is visible (React Flow shows a node once it
//                 has measured it, and fits the view in that same update),
//                 stamped after that frame was rendered
//   interactive   (TTI) ms from navigation start until the inspector
//                 ([data-testid=inspector]) appears after a click on a node:
//                 as soon as the first node is visible the bench clicks the
//                 centre of the node nearest the canvas's centre (again if
//                 the click missed, counted), so a main thread still busy
//                 with loading delays the click's handling and shows up here.
//                 Stamped after the frame that rendered the inspector. It
//                 includes the bench's reaction (a 20 ms poll and one
//                 round trip to find the node): the 10-node figure shows that
//                 floor.
//   pan           the empty pane dragged with the mouse around a 120 px
//                 circle, one mouse event per 8 ms (a 125 Hz mouse), for
//                 --duration s, at the view the designer opened with (the
//                 whole workflow when it fits at a readable zoom, otherwise
//                 its start at 80 %)
//   drag node     the node nearest the centre dragged the same way (60 px)
//   fitted pan    after the toolbar's Fit view: the whole workflow on screen
//                 (500 nodes at about 10 %, drawn as plain tiles), panned as
//                 above: the worst case for panning
// Also reported, for where load time goes: when the page's HTML (which
// carries the draft) arrived (Navigation Timing), and the long tasks before
// the inspector appeared.
// Frames are requestAnimationFrame timestamps recorded in the page during
// the gesture: fps = frames ÷ time, frame time = the gaps between them
// (Chromium caps rAF at 60 Hz). A gesture that did not move the viewport or
// the node in at least 3 frames, and in half of the frames or mouse events
// (whichever is fewer), counts as not measured. Long tasks (≥ 50 ms
// on the main thread, PerformanceObserver) are summed for the load (until
// the inspector appeared) and per gesture.
//
// A warm-up repetition of each size comes first (not reported); then the
// sizes alternate, so both see the same noise. p50 is the median of the
// repetitions, p95 their 95th percentile (with 5 repetitions: the worst);
// frame times are pooled over all repetitions. Ratios are 500-node ÷ 10-node.
//
// Flags: --reps N (5) --warm-up N (1) --nodes N (500) --baseline-nodes N (10)
//   --duration S (3, per gesture) --port P (3400; P+1 and P+2 are taken too)
//   --rebuild --no-build --trace DIR (one more 500-node repetition recorded
//   as a Chrome performance trace, DIR/designer-<n>.json, for DevTools)
// BENCH_VERBOSE=1 streams the app's output to stderr. Figures go to stdout:
// a table, then one JSON line, last.

const GOAL_TTI_MS = 1500;
const GOAL_PAN_FPS = 50;
const LOAD_TIMEOUT_MS = 60_000;
const MIN_MOVED_FRAMES = 3;
const VIEWPORT = { width: 1280, height: 720 };
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const { values: flags } = parseArgs({
  options: {
    reps: { type: "string", default: "5" },
    "warm-up": { type: "string", default: "1" },
    nodes: { type: "string", default: "500" },
    "baseline-nodes": { type: "string", default: "10" },
    duration: { type: "string", default: "3" },
    port: { type: "string", default: "3400" },
    rebuild: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    trace: { type: "string" },
  },
});

function integerFlag(
  name: "reps" | "warm-up" | "nodes" | "baseline-nodes" | "duration" | "port",
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${flags[name]}"`);
  return value;
}

const REPS = integerFlag("reps", 1);
const WARM_UP = integerFlag("warm-up", 0);
const NODES = integerFlag("nodes", 10, 500);
const BASELINE_NODES = integerFlag("baseline-nodes", 7, 500);
const DURATION_MS = integerFlag("duration", 1) * 1000;
const PORT = integerFlag("port", 1024, 65533);
const BUILD_MODE = buildModeOf(flags);

const log = (line: string) => console.error(`[bench] ${line}`);
const cleanups: (() => Promise<unknown>)[] = [];
const onCleanup = (step: () => Promise<unknown>) => cleanups.push(step);

async function runCleanups() {
  for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
}

// ------------------------------------------------------------------ the app

/** e2e/support/start-app.ts serving the snapshot in `appDir`; its URL once ready. */
async function startApp(appDir: string): Promise<string> {
  await assertPortFree(PORT, "the app", "--port");
  await assertPortFree(PORT + 1, "the fake Resend (--port + 1)", "--port");
  await assertPortFree(PORT + 2, "the local executor (--port + 2)", "--port");
  // Always a throwaway embedded Postgres, never a server of the environment's
  // (start-app creates its database on DATABASE_URL's server when it is set).
  delete process.env.DATABASE_URL;
  const app = Child.start(
    "app",
    path.join(repoRoot, "node_modules/.bin/tsx"),
    // The checkout's tsconfig (the "@/" paths), though it runs in the snapshot.
    [
      "--tsconfig",
      path.join(repoRoot, "tsconfig.json"),
      path.join(repoRoot, "e2e/support/start-app.ts"),
    ],
    {
      cwd: appDir,
      env: {
        E2E_PORT: String(PORT),
        E2E_RESEND_PORT: String(PORT + 1),
        E2E_EXECUTOR_PORT: String(PORT + 2),
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  );
  // SIGTERM lets start-app stop next, its executor and its Postgres (which runs
  // detached, so a SIGKILL would leave it behind): give it time.
  onCleanup(async () => {
    await app.stop(30_000);
    if (app.isAlive) log("warning: the app did not stop; its Postgres may still run");
  });
  const url = `http://127.0.0.1:${PORT}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (!app.isAlive) throw new Error(`the app exited while starting:\n${app.tail(40)}`);
    try {
      if ((await fetch(`${url}/api/health/ready`)).ok) return url;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app was not ready in 180 s:\n${app.tail(40)}`);
    await sleep(250);
  }
}

function chromiumPath(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

/** A valid definition of `nodeCount` nodes (the validator must find nothing). */
function benchWorkflow(nodeCount: number): WorkflowDefinition {
  const definition = largeOnboardingWorkflow(nodeCount, nodeCount >= 100 ? 12 : 2);
  const { problems } = validateDefinitionSync(definition);
  if (problems.length > 0)
    throw new Error(
      `the ${nodeCount}-node bench workflow is not valid:\n  ${problems
        .slice(0, 10)
        .map((problem) => problem.message)
        .join("\n  ")}`,
    );
  return definition;
}

/** Signs up an organisation, signs in `context` and creates the workflows; their designer paths. */
async function createWorkflows(
  context: BrowserContext,
  baseUrl: string,
  definitions: WorkflowDefinition[],
): Promise<string[]> {
  const owner = await signUpForApi(context.request, "designer-bench");
  await signInForApi(context.request, owner.email, PASSWORD);
  const slug = owner.organization.slug;
  const paths: string[] = [];
  for (const definition of definitions) {
    const response = await context.request.post(`/api/v1/workflows?org=${slug}`, {
      headers: { origin: baseUrl },
      data: { name: `Designer bench: ${definition.nodes.length} nodes`, definition },
    });
    if (response.status() !== 201)
      throw new Error(`POST /api/v1/workflows: ${response.status()} ${await response.text()}`);
    const { workflow } = (await response.json()) as { workflow: { id: string } };
    paths.push(`/o/${slug}/workflows/${workflow.id}`);
  }
  return paths;
}

// ------------------------------------------------------------- measurements

type Repetition = {
  htmlMs: number;
  firstNodesMs: number;
  ttiMs: number;
  clicks: number;
  loadLongTasksMs: number;
  renderedNodes: number;
  renderedEdges: number;
  zoom: number;
  pan: FrameRecording;
  drag: FrameRecording;
  zoomedZoom: number;
  zoomedRenderedNodes: number;
  zoomedPan: FrameRecording;
};

/**
 * A gesture took when most of its mouse events moved something: on a fast page
 * several events land in one frame, on a slow one each event waits for the last
 * frame (CDP answers a mouse event once the page has handled it).
 */
function checkMoved(what: string, recording: FrameRecording) {
  const expected = Math.min(recording.events, recording.frames.length);
  if (recording.moves < MIN_MOVED_FRAMES || recording.moves < expected / 2)
    throw new Error(
      `${what}: only ${recording.moves} of ${recording.frames.length} frames moved anything after ${recording.events} mouse events (the gesture did not take)`,
    );
}

/** One repetition in a fresh page: open, click a node, pan, drag a node. */
async function measure(context: BrowserContext, designerPath: string): Promise<Repetition> {
  const page = await context.newPage();
  try {
    await page.goto(designerPath, { waitUntil: "commit", timeout: LOAD_TIMEOUT_MS });
    await waitForFirstNode(page, LOAD_TIMEOUT_MS);
    const clicks = await clickNodeUntilInspector(page, LOAD_TIMEOUT_MS);
    const loaded = await pageRecord(page);
    const ttiMs = loaded.inspectorAt as number;
    const state = await canvasState(page);
    const phases = await loadPhases(page);
    // Let whatever the selection started settle before the gestures.
    await sleep(500);

    const panFrom = await emptyPanePoint(page);
    if (!panFrom) throw new Error("no empty point of the pane to drag");
    const pan = await circleGesture(page, {
      from: panFrom,
      label: "pan",
      tracked: ".react-flow__viewport",
      durationMs: DURATION_MS,
      radiusPx: 120,
      periodMs: 1500,
      intervalMs: 8,
    });
    checkMoved("pan", pan);
    await sleep(300);

    const node = await nodeNearCentre(page);
    if (!node) throw new Error("no node to drag");
    const drag = await circleGesture(page, {
      from: node,
      label: "drag-node",
      tracked: `.react-flow__node[data-id="${node.id}"]`,
      durationMs: DURATION_MS,
      radiusPx: 60,
      periodMs: 1500,
      intervalMs: 8,
    });
    checkMoved("drag node", drag);
    await sleep(300);

    // The whole workflow in view (the toolbar's Fit view): every node on
    // screen, drawn as plain tiles below the designer's readable zoom.
    await page.getByRole("button", { name: "Fit view", exact: true }).click();
    await sleep(800);
    const zoomedZoom = (await canvasState(page)).zoom;
    const zoomedState = await canvasState(page);
    const zoomedFrom = await emptyPanePoint(page);
    if (!zoomedFrom) throw new Error("no empty point of the pane to drag with the workflow fitted");
    const zoomedPan = await circleGesture(page, {
      from: zoomedFrom,
      label: "pan-fitted",
      tracked: ".react-flow__viewport",
      durationMs: DURATION_MS,
      radiusPx: 120,
      periodMs: 1500,
      intervalMs: 8,
    });
    checkMoved("pan with the workflow fitted", zoomedPan);

    return {
      ...phases,
      firstNodesMs: loaded.firstNodeAt as number,
      ttiMs,
      clicks,
      loadLongTasksMs: loaded.longTasks
        .filter(([start]) => start < ttiMs)
        .reduce((sum, [, duration]) => sum + duration, 0),
      ...state,
      pan,
      drag,
      zoomedZoom,
      zoomedRenderedNodes: zoomedState.renderedNodes,
      zoomedPan,
    };
  } finally {
    await page.close();
  }
}

/** One more repetition recorded as a Chrome performance trace (for DevTools). */
async function traceOnce(browser: Browser, context: BrowserContext, designerPath: string) {
  const dir = path.resolve(flags.trace as string);
  await fs.mkdir(dir, { recursive: true });
  let file = "";
  for (let n = 1; !file || existsSync(file); n++) file = path.join(dir, `designer-${n}.json`);
  await browser.startTracing(undefined, {
    path: file,
    categories: [
      "devtools.timeline",
      "disabled-by-default-devtools.timeline",
      "disabled-by-default-devtools.timeline.frame",
      "v8.execute",
      "disabled-by-default-v8.cpu_profiler",
      "blink.user_timing",
      "latencyInfo",
    ],
  });
  try {
    await measure(context, designerPath);
  } finally {
    await browser.stopTracing();
  }
  return file;
}

// ------------------------------------------------------------------ figures

type FrameFigures = { fps: number[]; frameMs: number[]; longTasksMs: number[] };

function frameFigures(recordings: FrameRecording[]): FrameFigures {
  const fps: number[] = [];
  const frameMs: number[] = [];
  const longTasksMs: number[] = [];
  for (const { frames, longTasks } of recordings) {
    const first = frames[0] as number;
    const last = frames.at(-1) as number;
    fps.push(((frames.length - 1) * 1000) / (last - first));
    for (let i = 1; i < frames.length; i++)
      frameMs.push((frames[i] as number) - (frames[i - 1] as number));
    longTasksMs.push(longTasks.reduce((sum, duration) => sum + duration, 0));
  }
  return { fps, frameMs, longTasksMs };
}

function summary(reps: Repetition[]) {
  const p = (values: number[], q: number) => percentile(values, q);
  const pan = frameFigures(reps.map((rep) => rep.pan));
  const drag = frameFigures(reps.map((rep) => rep.drag));
  const zoomedPan = frameFigures(reps.map((rep) => rep.zoomedPan));
  const tti = reps.map((rep) => rep.ttiMs);
  const first = reps.map((rep) => rep.firstNodesMs);
  return {
    htmlP50: p(
      reps.map((rep) => rep.htmlMs),
      50,
    ),
    ttiP50: p(tti, 50),
    ttiP95: p(tti, 95),
    firstP50: p(first, 50),
    firstP95: p(first, 95),
    extraClicks: reps.reduce((sum, rep) => sum + rep.clicks - 1, 0),
    loadLongTasksP50: p(
      reps.map((rep) => rep.loadLongTasksMs),
      50,
    ),
    renderedNodes: p(
      reps.map((rep) => rep.renderedNodes),
      50,
    ),
    renderedEdges: p(
      reps.map((rep) => rep.renderedEdges),
      50,
    ),
    zoom: p(
      reps.map((rep) => rep.zoom),
      50,
    ),
    panFpsP50: p(pan.fps, 50),
    panFpsWorst: Math.min(...pan.fps),
    panFrameP95: p(pan.frameMs, 95),
    panLongTasksP50: p(pan.longTasksMs, 50),
    zoomedZoom: p(
      reps.map((rep) => rep.zoomedZoom),
      50,
    ),
    zoomedRenderedNodes: p(
      reps.map((rep) => rep.zoomedRenderedNodes),
      50,
    ),
    zoomedPanFpsP50: p(zoomedPan.fps, 50),
    zoomedPanFrameP95: p(zoomedPan.frameMs, 95),
    dragFpsP50: p(drag.fps, 50),
    dragFpsWorst: Math.min(...drag.fps),
    dragFrameP95: p(drag.frameMs, 95),
    dragLongTasksP50: p(drag.longTasksMs, 50),
  };
}

function report(
  large: Repetition[],
  small: Repetition[],
  load: { start: number[]; end: number[] },
) {
  const big = summary(large);
  const base = summary(small);
  const ratio = (a: number, b: number) => round(a / b, 2);
  const ms = (value: number) => round(value, 0);
  const fps = (value: number) => round(value, 1);
  const row = (
    label: string,
    of: (figures: typeof big) => number,
    format: (value: number) => number,
    withRatio = true,
  ): (string | number)[] => [
    label,
    format(of(big)),
    format(of(base)),
    withRatio ? ratio(of(big), of(base)) : "",
  ];
  const rows: (string | number)[][] = [
    row("page HTML received, ms p50", (f) => f.htmlP50, ms),
    row("first nodes visible, ms p50", (f) => f.firstP50, ms),
    row("first nodes visible, ms p95", (f) => f.firstP95, ms),
    row(`interactive (TTI), ms p50 (goal < ${GOAL_TTI_MS})`, (f) => f.ttiP50, ms),
    row("interactive (TTI), ms p95", (f) => f.ttiP95, ms),
    row("long tasks until interactive, ms p50", (f) => f.loadLongTasksP50, ms, false),
    row("clicks that missed", (f) => f.extraClicks, ms, false),
    row("rendered nodes at open", (f) => f.renderedNodes, ms, false),
    row("rendered edges at open", (f) => f.renderedEdges, ms, false),
    row(
      "zoom at open",
      (f) => f.zoom,
      (value) => round(value, 2),
      false,
    ),
    row(`pan fps p50 (goal ≥ ${GOAL_PAN_FPS})`, (f) => f.panFpsP50, fps),
    row("pan fps, worst repetition", (f) => f.panFpsWorst, fps),
    row("pan frame time, ms p95", (f) => f.panFrameP95, ms),
    row("pan long tasks, ms p50", (f) => f.panLongTasksP50, ms, false),
    row(
      "whole workflow fitted: zoom",
      (f) => f.zoomedZoom,
      (value) => round(value, 2),
      false,
    ),
    row("fitted: rendered nodes", (f) => f.zoomedRenderedNodes, ms, false),
    row("fitted: pan fps p50", (f) => f.zoomedPanFpsP50, fps),
    row("fitted: pan frame time, ms p95", (f) => f.zoomedPanFrameP95, ms),
    row("drag node fps p50", (f) => f.dragFpsP50, fps),
    row("drag node fps, worst repetition", (f) => f.dragFpsWorst, fps),
    row("drag node frame time, ms p95", (f) => f.dragFrameP95, ms),
    row("drag node long tasks, ms p50", (f) => f.dragLongTasksP50, ms, false),
  ];
  console.log(
    `Designer, headless Chromium ${VIEWPORT.width}×${VIEWPORT.height}, software rendering (--disable-gpu), ${REPS} repetitions after ${WARM_UP} warm-up\n`,
  );
  const loadavg = (values: number[]) => values.map((value) => round(value, 1)).join(" ");
  console.log(
    `Machine: ${os.cpus().length} CPUs, load average (1 5 15 min) ${loadavg(load.start)} at the start, ${loadavg(load.end)} at the end\n`,
  );
  console.log(table(["", `${NODES} nodes`, `${BASELINE_NODES} nodes`, "ratio"], rows));
  const met = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(
    `\nGoals (${NODES} nodes, p50): interactive < ${GOAL_TTI_MS} ms ${met(big.ttiP50 < GOAL_TTI_MS)}; panning ≥ ${GOAL_PAN_FPS} fps ${met(big.panFpsP50 >= GOAL_PAN_FPS)}`,
  );
  console.log(
    JSON.stringify({
      nodes: NODES,
      baseline_nodes: BASELINE_NODES,
      reps: REPS,
      cpus: os.cpus().length,
      loadavg_1min_start: round(load.start[0] as number, 1),
      loadavg_1min_end: round(load.end[0] as number, 1),
      tti_ms_p50: ms(big.ttiP50),
      tti_ms_p95: ms(big.ttiP95),
      first_nodes_ms_p50: ms(big.firstP50),
      first_nodes_ms_p95: ms(big.firstP95),
      load_long_tasks_ms_p50: ms(big.loadLongTasksP50),
      html_ms_p50: ms(big.htmlP50),
      rendered_nodes_at_open: big.renderedNodes,
      zoom_at_open: round(big.zoom, 3),
      pan_fps_p50: fps(big.panFpsP50),
      pan_fps_min: fps(big.panFpsWorst),
      pan_frame_ms_p95: ms(big.panFrameP95),
      pan_fitted_fps_p50: fps(big.zoomedPanFpsP50),
      pan_fitted_frame_ms_p95: ms(big.zoomedPanFrameP95),
      pan_fitted_fps_baseline_p50: fps(base.zoomedPanFpsP50),
      drag_fps_p50: fps(big.dragFpsP50),
      drag_fps_min: fps(big.dragFpsWorst),
      drag_frame_ms_p95: ms(big.dragFrameP95),
      tti_ms_baseline_p50: ms(base.ttiP50),
      tti_ms_baseline_p95: ms(base.ttiP95),
      first_nodes_ms_baseline_p50: ms(base.firstP50),
      pan_fps_baseline_p50: fps(base.panFpsP50),
      pan_frame_ms_baseline_p95: ms(base.panFrameP95),
      drag_fps_baseline_p50: fps(base.dragFpsP50),
      drag_frame_ms_baseline_p95: ms(base.dragFrameP95),
      tti_ratio: ratio(big.ttiP50, base.ttiP50),
      first_nodes_ratio: ratio(big.firstP50, base.firstP50),
      pan_fps_ratio: ratio(big.panFpsP50, base.panFpsP50),
      drag_fps_ratio: ratio(big.dragFpsP50, base.dragFpsP50),
    }),
  );
}

// --------------------------------------------------------------------- main

async function main() {
  const definitions = [benchWorkflow(NODES), benchWorkflow(BASELINE_NODES)];
  log(`build: ${await ensureProductionBuild({ mode: BUILD_MODE, log, onCleanup })}`);
  const appDir = await snapshotProductionBuild({
    prefix: "officeflow-designer-bench-app-",
    onCleanup,
    // start-app applies the migrations of ./prisma/migrations (scripts/lib/migrator.ts).
    links: ["prisma"],
  });
  const baseUrl = await startApp(appDir);
  log(`app ready at ${baseUrl}`);

  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());
  const context = await browser.newContext({ baseURL: baseUrl, viewport: VIEWPORT });
  await installRecorder(context);
  const [largePath, smallPath] = await createWorkflows(context, baseUrl, definitions);
  const sizes = [
    { label: `${NODES} nodes`, path: largePath as string, reps: [] as Repetition[] },
    { label: `${BASELINE_NODES} nodes`, path: smallPath as string, reps: [] as Repetition[] },
  ];

  const loadAtStart = os.loadavg();
  for (let i = 0; i < WARM_UP; i++)
    for (const size of sizes) {
      log(`warm-up ${i + 1}/${WARM_UP}, ${size.label}`);
      await measure(context, size.path);
    }
  for (let i = 0; i < REPS; i++)
    for (const size of sizes) {
      const rep = await measure(context, size.path);
      size.reps.push(rep);
      log(
        `rep ${i + 1}/${REPS}, ${size.label}: first nodes ${round(rep.firstNodesMs, 0)} ms, interactive ${round(rep.ttiMs, 0)} ms, pan ${round(frameFigures([rep.pan]).fps[0] as number, 1)} fps, drag ${round(frameFigures([rep.drag]).fps[0] as number, 1)} fps`,
      );
    }
  const loadAtEnd = os.loadavg();
  if (flags.trace) log(`trace: ${await traceOnce(browser, context, largePath as string)}`);
  report(sizes[0]?.reps ?? [], sizes[1]?.reps ?? [], { start: loadAtStart, end: loadAtEnd });
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping the app and the browser…`);
    void runCleanups().finally(() => process.exit(130));
  });

main()
  .then(runCleanups)
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await runCleanups();
    if (!interrupted) process.exit(1);
  });
