import { round, table } from "./support";

// The benchmark's output: a readable table, then, as the very last line, one
// JSON object of the figures with their units in the keys.

type P = { p50: number; p95: number };

export type ModeResult = {
  mode: "cp" | "nocp";
  wallS: number;
  runsPerS: number;
  stepsPerS: number;
  firstStep: P;
  completion: P;
  loadedStep: P;
  isolatedStep: P;
  /** Approximate: from pg_stat_database, during the measured phase. */
  txPerStep: number;
  /** CPU milliseconds per step during the measured phase. */
  cpuMsPerStep: { executor: number; app: number; postgres: number };
  executorPeakMb: number;
  appPeakMb: number;
};

export type Baselines = {
  /** 1-step calls with an empty stack, per second. */
  bareCallsPerS: number;
  /** Steps per second of M+1 calls per virtual run replaying 0…M memoised steps. */
  bareReplayStepsPerS: number;
  /** The app's CPU per step during the replay baseline (compare with nocp's app CPU per step). */
  replayAppCpuMsPerStep: number;
  concurrency: number;
};

export type BenchShape = { runs: number; steps: number; latencyRuns: number };

export function report(
  shape: BenchShape,
  results: Record<"cp" | "nocp", ModeResult>,
  bare: Baselines,
  profiles: string[],
): void {
  const { cp, nocp } = results;
  const { runs: N, steps: M } = shape;
  const ms = (v: number) => round(v, 1);
  const pair = (p: P) => `${ms(p.p50)} / ${ms(p.p95)}`;
  const row = (label: string, f: (r: ModeResult) => number | string) => [label, f(cp), f(nocp)];
  console.log(
    `\nExecutor benchmark: ${N} runs × ${M} no-op steps, sent in batches of 50 ` +
      `(+ ${shape.latencyRuns} isolated runs per mode, sent one at a time)`,
  );
  console.log(
    table(
      ["", "checkpointing", "no checkpointing"],
      [
        row("wall time, first send → last completion (s)", (r) => round(r.wallS, 2)),
        row("runs/s", (r) => round(r.runsPerS)),
        row("steps/s", (r) => round(r.stepsPerS)),
        row("step→step p50 / p95, isolated runs (ms)", (r) => pair(r.isolatedStep)),
        row("step→step p50 / p95, under load (ms)", (r) => pair(r.loadedStep)),
        row("event→first step p50 / p95, under load (ms)", (r) => pair(r.firstStep)),
        row("event→completed p50 / p95, under load (ms)", (r) => pair(r.completion)),
        row("Postgres transactions / step (approx.)", (r) => round(r.txPerStep, 2)),
        row("CPU ms / step: executor / app / Postgres", ({ cpuMsPerStep: c }) =>
          [c.executor, c.app, c.postgres].map(ms).join(" / "),
        ),
        row("executor peak RSS (MB)", (r) => r.executorPeakMb),
        row("app peak RSS (MB)", (r) => r.appPeakMb),
      ],
    ),
  );
  const ratio = nocp.stepsPerS / bare.bareCallsPerS;
  const replayRatio = nocp.stepsPerS / bare.bareReplayStepsPerS;
  console.log(
    `\nbare baselines (call requests POSTed straight to the app, ${bare.concurrency} at a time):` +
      `\n  1-step calls, empty stack:            ${round(bare.bareCallsPerS)} calls/s` +
      `\n  ${M}-step runs replayed, M+1 calls each: ${round(bare.bareReplayStepsPerS)} steps/s, ` +
      `app CPU ${ms(bare.replayAppCpuMsPerStep)} ms/step` +
      `\nno-checkpointing steps/s ÷ bare calls/s        = ${round(ratio, 2)}` +
      `\nno-checkpointing steps/s ÷ bare replay steps/s = ${round(replayRatio, 2)} (1.0 = the executor costs nothing)`,
  );
  for (const profile of profiles) console.log(profile);
  const goals = [
    ["≥ 300 steps/s with checkpointing", cp.stepsPerS >= 300],
    ["≥ 100 steps/s without checkpointing", nocp.stepsPerS >= 100],
    ["p95 step→step < 25 ms (isolated runs), checkpointing", cp.isolatedStep.p95 < 25],
    ["p95 step→step < 25 ms (isolated runs), no checkpointing", nocp.isolatedStep.p95 < 25],
  ] as const;
  console.log(
    `\ngoals:\n${goals.map(([goal, ok]) => `  ${ok ? "met   " : "MISSED"}  ${goal}`).join("\n")}\n`,
  );

  const json: Record<string, number | boolean> = { runs: N, steps_per_run: M };
  for (const r of [cp, nocp]) {
    const k = (name: string) => `${r.mode}_${name}`;
    Object.assign(json, {
      [k("steps_per_s")]: round(r.stepsPerS),
      [k("runs_per_s")]: round(r.runsPerS, 2),
      [k("wall_s")]: round(r.wallS, 2),
      [k("p50_step_latency_ms")]: ms(r.isolatedStep.p50),
      [k("p95_step_latency_ms")]: ms(r.isolatedStep.p95),
      [k("p50_step_latency_under_load_ms")]: ms(r.loadedStep.p50),
      [k("p95_step_latency_under_load_ms")]: ms(r.loadedStep.p95),
      [k("p50_event_to_first_step_ms")]: ms(r.firstStep.p50),
      [k("p95_event_to_first_step_ms")]: ms(r.firstStep.p95),
      [k("p50_event_to_completion_ms")]: ms(r.completion.p50),
      [k("p95_event_to_completion_ms")]: ms(r.completion.p95),
      [k("pg_transactions_per_step")]: round(r.txPerStep, 2),
      [k("executor_cpu_ms_per_step")]: ms(r.cpuMsPerStep.executor),
      [k("app_cpu_ms_per_step")]: ms(r.cpuMsPerStep.app),
      [k("postgres_cpu_ms_per_step")]: ms(r.cpuMsPerStep.postgres),
      [k("executor_peak_rss_mb")]: r.executorPeakMb,
      [k("app_peak_rss_mb")]: r.appPeakMb,
    });
  }
  Object.assign(json, {
    bare_calls_per_s: round(bare.bareCallsPerS),
    bare_replay_steps_per_s: round(bare.bareReplayStepsPerS),
    bare_replay_app_cpu_ms_per_step: ms(bare.replayAppCpuMsPerStep),
    nocp_steps_per_bare_call_ratio: round(ratio, 3),
    nocp_steps_per_bare_replay_step_ratio: round(replayRatio, 3),
    executor_peak_rss_mb: Math.max(cp.executorPeakMb, nocp.executorPeakMb),
    app_peak_rss_mb: Math.max(cp.appPeakMb, nocp.appPeakMb),
    goals_met: goals.every(([, ok]) => ok),
  });
  console.log(JSON.stringify(json));
}
