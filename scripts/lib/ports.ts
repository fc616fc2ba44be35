import net from "node:net";

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly service: string,
    readonly envVar: string,
  ) {
    super(
      `Port ${port} for ${service} is already in use. Stop whatever is listening there ` +
        `(\`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\` shows it) or set ${envVar} to another port.`,
    );
    this.name = "PortInUseError";
  }
}

function tryListen(port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** Throws PortInUseError naming the service when something already listens on `port`. */
export async function assertPortFree(port: number, service: string, envVar: string): Promise<void> {
  // Check both stacks: a server bound to :: alone still blocks 127.0.0.1 clients.
  for (const host of ["127.0.0.1", "::"]) {
    const error = await tryListen(port, host);
    if (error?.code === "EADDRINUSE") throw new PortInUseError(port, service, envVar);
    if (error && error.code !== "EAFNOSUPPORT" && error.code !== "EADDRNOTAVAIL") throw error;
  }
}

/** A port the kernel says is free right now (for throwaway servers in tests). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Parses a port env var, naming the variable when it is malformed. */
export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a port number between 1 and 65535, got "${raw}".`);
  }
  return port;
}
