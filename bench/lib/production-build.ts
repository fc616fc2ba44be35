import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Child, round } from "../../inngest-local/bench/support";

// The production build the benchmarks serve, shared by them:
// - `next build` into .next when .next/BUILD_ID is missing or older than the
//   app's sources (app/, lib/, components/, inngest/, prisma/schema, configs,
//   package-lock.json); "rebuild" always builds, "none" never does;
// - `npm run test:e2e` builds into the same .next, so this refuses to start
//   while another `next build` of this checkout is running, and serves a
//   hard-linked copy of the build from a temporary directory, so that a later
//   build cannot pull it from under a benchmark.

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const nextBin = path.join(repoRoot, "node_modules/next/dist/bin/next");

/** "auto": build when stale (the default); "rebuild": always (--rebuild); "none": never (--no-build). */
export type BuildMode = "auto" | "rebuild" | "none";

export function buildModeOf(flags: { rebuild?: boolean; "no-build"?: boolean }): BuildMode {
  if (flags.rebuild && flags["no-build"]) throw new Error("--rebuild and --no-build contradict");
  return flags.rebuild ? "rebuild" : flags["no-build"] ? "none" : "auto";
}

/** Registers an undo step; the benchmark runs them (newest first) when it ends, also on failure. */
export type OnCleanup = (step: () => Promise<unknown>) => void;

/** `next build` processes of this checkout, other than ours (their title is "next-build (v…)"). */
export function runningNextBuilds(): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let argv: string[];
    let cwd: string;
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      cwd = readlinkSync(`/proc/${entry}/cwd`);
    } catch {
      continue; // gone, or not ours to read
    }
    const titled = argv[0]?.startsWith("next-build");
    const at = argv.findIndex(
      (arg, i) => /(^|\/)next(\/dist\/bin\/next)?$/.test(arg) && argv[i + 1] === "build",
    );
    if (!titled && at === -1) continue;
    const dir = at === -1 ? undefined : argv.slice(at + 2).find((arg) => !arg.startsWith("-"));
    if (path.resolve(cwd, dir ?? ".") !== repoRoot) continue;
    found.push(`pid ${entry}: ${argv.join(" ").slice(0, 120)}`);
  }
  return found;
}

export function assertNoOtherBuild(): void {
  const builds = runningNextBuilds();
  if (builds.length > 0)
    throw new Error(
      `another \`next build\` of this checkout is running (npm run test:e2e builds into the same .next):\n  ${builds.join("\n  ")}\nWait for it to finish and run the benchmark again.`,
    );
}

/** The newest modification time among the sources a production build depends on. */
export function newestSourceMtime(): { mtimeMs: number; file: string } {
  let newest = { mtimeMs: 0, file: "" };
  const consider = (file: string) => {
    const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0; // others edit meanwhile
    if (mtimeMs > newest.mtimeMs) newest = { mtimeMs, file };
  };
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules" || full === path.join(repoRoot, "lib/generated"))
          continue;
        walk(full);
      } else if (!/\.test\.tsx?$/.test(entry.name)) consider(full);
    }
  };
  for (const dir of ["app", "lib", "components", "inngest"]) walk(path.join(repoRoot, dir));
  for (const file of [
    "instrumentation.ts",
    "proxy.ts",
    "next.config.js",
    "postcss.config.mjs",
    "tailwind.config.ts",
    "tsconfig.json",
    "package-lock.json",
    "prisma/schema.prisma",
  ]) {
    const full = path.join(repoRoot, file);
    if (existsSync(full)) consider(full);
  }
  return newest;
}

/** Makes .next current as `mode` asks; returns what was done, for the report. */
export async function ensureProductionBuild(options: {
  mode: BuildMode;
  log: (line: string) => void;
  onCleanup: OnCleanup;
}): Promise<string> {
  assertNoOtherBuild();
  const buildId = path.join(repoRoot, ".next/BUILD_ID");
  if (options.mode === "none") {
    if (!existsSync(buildId)) throw new Error("--no-build, but there is no .next/BUILD_ID");
    return "reused as is (--no-build)";
  }
  const newest = newestSourceMtime();
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (options.mode === "auto" && builtAt > newest.mtimeMs)
    return "reused (newer than every source)";
  const why =
    options.mode === "rebuild"
      ? "--rebuild"
      : builtAt === 0
        ? "no .next/BUILD_ID"
        : `${path.relative(repoRoot, newest.file)} is newer than .next/BUILD_ID`;
  options.log(`building the app (next build: ${why}); this takes a few minutes…`);
  const started = performance.now();
  const build = Child.start("next build", process.execPath, [nextBin, "build"], {
    cwd: repoRoot,
    env: { NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  options.onCleanup(() => build.stop());
  const code = await build.exited;
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${build.tail(40)}`);
  return `built now (${why}; ${round((performance.now() - started) / 1000)} s)`;
}

/**
 * The build, served from a private copy (a directory to run `next start` in):
 * .next is shared with `npm run test:e2e`, whose next build would otherwise
 * pull it from under our server. Hard links where possible: instant, and a
 * later build deletes and writes new files rather than rewriting these.
 * `links` are further top-level entries of the checkout to symlink into it.
 */
export async function snapshotProductionBuild(options: {
  prefix: string;
  onCleanup: OnCleanup;
  links?: string[];
}): Promise<string> {
  assertNoOtherBuild();
  const source = path.join(repoRoot, ".next");
  const buildId = readFileSync(path.join(source, "BUILD_ID"), "utf8");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), options.prefix));
  options.onCleanup(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(path.join(dir, ".next"));
  const copy = promisify(execFile);
  for (const entry of await fs.readdir(source)) {
    if (entry === "cache" || entry === "dev") continue; // build cache, `next dev` output
    const from = path.join(source, entry);
    const to = path.join(dir, ".next");
    await copy("cp", ["-al", from, to]).catch(() => copy("cp", ["-a", from, to]));
  }
  const links = [
    "node_modules",
    "next.config.js",
    "package.json",
    "public",
    ...(options.links ?? []),
  ];
  for (const entry of links) {
    const target = path.join(repoRoot, entry);
    if (existsSync(target)) await fs.symlink(target, path.join(dir, entry));
  }
  const copied = readFileSync(path.join(dir, ".next/BUILD_ID"), "utf8");
  if (copied !== buildId || runningNextBuilds().length > 0)
    throw new Error(".next changed while it was being copied (another next build?); run again");
  return dir;
}
