import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

// Process, memory and statistics helpers for the executor benchmark.

/** A child in its own process group, with its output kept for error messages. */
export class Child {
  private output = "";
  readonly exited: Promise<number | null>;
  private alive = true;

  constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    const append = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${label}] ${chunk}`);
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code) => {
        this.alive = false;
        resolve(code);
      });
    });
  }

  static start(
    label: string,
    command: string,
    args: string[],
    options: { cwd: string; env: Record<string, string> },
  ) {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new Child(label, child);
  }

  get isAlive(): boolean {
    return this.alive;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.label} did not start`);
    return this.child.pid;
  }

  tail(lines = 30): string {
    return this.output.split("\n").slice(-lines).join("\n");
  }

  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (!this.alive) break;
      await sleep(50);
    }
    const why = this.alive ? "did not print" : "exited before printing";
    throw new Error(`${this.label} ${why} ${pattern}:\n${this.tail()}`);
  }

  /** SIGTERM to the child's process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.alive) return;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-this.pid, name);
      } catch {
        // already gone
      }
    };
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A /proc/<pid>/status field in kB (VmRSS, VmHWM); 0 once the process is gone. */
export function procStatusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The pids of `pid`'s whole process tree (Next may fork workers). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      const tasks = readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, "utf8");
      for (const child of tasks.trim().split(/\s+/).filter(Boolean)) out.push(Number(child));
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU seconds (user + system, with reaped children) used so far by `pid`'s process tree. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      // Fields after the ")" of the command name: utime, stime, cutime, cstime are 14-17.
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      for (const i of [11, 12, 13, 14]) ticks += Number(fields[i] ?? 0);
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Samples the summed VmRSS of each process tree every 100 ms; `peakMb` includes VmHWM. */
export class RssSampler {
  private readonly peakKb = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: Record<string, number>) {
    this.timer = setInterval(() => this.sample(), 100).unref();
    this.sample();
  }

  private sample(useHighWater = false) {
    for (const [label, pid] of Object.entries(this.pids)) {
      const field = useHighWater ? "VmHWM" : "VmRSS";
      const tree = processTree(pid);
      // A tree's VmHWM sum over-counts (peaks at different times); only a lone process's is exact.
      if (useHighWater && tree.length > 1) continue;
      const kb = tree.reduce((sum, p) => sum + procStatusKb(p, field), 0);
      this.peakKb.set(label, Math.max(this.peakKb.get(label) ?? 0, kb));
    }
  }

  /** Stops sampling (call before the processes exit) and returns peak MB per label. */
  finish(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    this.sample(true);
    return Object.fromEntries([...this.peakKb].map(([label, kb]) => [label, round(kb / 1024)]));
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** Runs `task` `total` times with at most `concurrency` in flight; returns the elapsed ms. */
export async function pooled(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return performance.now() - started;
}

/** Renders rows as an aligned text table (first column left, the rest right-aligned). */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...cells.slice(1).map(line)].join("\n");
}
