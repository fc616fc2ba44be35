import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort } from "../../../scripts/lib/ports";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
const executorCli = path.join(repoRoot, "inngest-local/src/cli.ts");
const appScript = path.join(repoRoot, "inngest-local/test/fixtures/app-server.ts");

export { findFreePort };

/**
 * A child started with tsx in its own process group. tsx runs the script in a
 * child node process, so signals go to the whole group (-pid): a SIGKILL of
 * tsx alone would leave the real server running as an orphan.
 */
export class TsxProcess {
  private output = "";
  readonly exited: Promise<number | null>;
  private alive = true;

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    const append = (chunk: Buffer) => {
      this.output += chunk.toString();
      if (process.env.INNGEST_LOCAL_TEST_LOG) process.stdout.write(`[${label}] ${chunk}`);
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

  static start(label: string, script: string, env: Record<string, string>): TsxProcess {
    const child = spawn(tsx, [script], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new TsxProcess(label, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.label} has no pid`);
    return this.child.pid;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  log(): string {
    return this.output;
  }

  /** Resolves once the output matches `pattern`; rejects if the process exits first. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (!this.alive) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `${this.label} ${this.alive ? "did not print" : "exited before printing"} ${pattern}; output:\n${this.output}`,
    );
  }

  /** Signals the whole process group and waits for tsx to exit. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.alive) return;
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
    await this.exited;
  }

  /**
   * SIGTERM to tsx alone (it relays the signal to the script, which should
   * shut down cleanly), then SIGKILL to the group after `graceMs`.
   * Resolves with the exit code.
   */
  async stop(graceMs = 5000): Promise<number | null> {
    if (!this.alive) return this.exited;
    const timer = setTimeout(() => {
      try {
        process.kill(-this.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, graceMs);
    try {
      process.kill(this.pid, "SIGTERM");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
    const code = await this.exited;
    clearTimeout(timer);
    this.reap();
    return code;
  }

  /** SIGKILLs whatever is left of the group (a script that outlived tsx). */
  reap(): void {
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
}

export type ExecutorProcess = TsxProcess & { url: string };

/** Starts the executor CLI on `port` and waits for its "listening on" line. */
export async function startExecutorProcess(options: {
  databaseUrl: string;
  port: number;
  checkpointing: boolean;
  appUrl?: string;
  label?: string;
}): Promise<ExecutorProcess> {
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    INNGEST_LOCAL_PORT: String(options.port),
    INNGEST_LOCAL_BACKOFF: "fast",
    INNGEST_LOCAL_CHECKPOINTING: options.checkpointing ? "1" : "0",
  };
  if (options.appUrl) env.INNGEST_LOCAL_APP_URL = options.appUrl;
  const child = TsxProcess.start(options.label ?? "executor", executorCli, env);
  const [, url] = await child.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return Object.assign(child, { url: url! });
}

export type AppProcess = TsxProcess & { url: string };

/** Starts the standalone fault-test app (fixtures/app-server.ts) on `port`. */
export async function startAppProcess(options: {
  port: number;
  executorUrl: string;
  counterFile: string;
  label?: string;
}): Promise<AppProcess> {
  const child = TsxProcess.start(options.label ?? "app", appScript, {
    PORT: String(options.port),
    INNGEST_BASE_URL: options.executorUrl,
    COUNTER_FILE: options.counterFile,
  });
  const [, url] = await child.waitForOutput(/app listening on (\S+)/);
  return Object.assign(child, { url: url! });
}

/** In-band sync through the executor's documented POST /local/sync; throws on a non-200. */
export async function syncOverHttp(executor: { url: string }, appUrl: string): Promise<unknown> {
  const res = await fetch(`${executor.url}/local/sync`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: appUrl }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /local/sync answered ${res.status}: ${text}`);
  return JSON.parse(text);
}
