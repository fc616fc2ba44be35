import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { assertPortFree, findFreePort, PortInUseError, portFromEnv } from "./ports";

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("assertPortFree", () => {
  it("passes for a free port", async () => {
    await expect(assertPortFree(await findFreePort(), "the app", "PORT")).resolves.toBeUndefined();
  });

  it("names the service, the port and the variable to change when the port is taken", async () => {
    const port = await findFreePort();
    const server = net.createServer().listen(port, "127.0.0.1");
    servers.push(server);
    await new Promise((resolve) => server.once("listening", resolve));
    const check = assertPortFree(port, "Postgres", "OFFICEFLOW_PG_PORT");
    await expect(check).rejects.toBeInstanceOf(PortInUseError);
    await expect(check).rejects.toThrow(`Port ${port} for Postgres is already in use`);
    await expect(check).rejects.toThrow(/set OFFICEFLOW_PG_PORT to another port/);
  });
});

describe("portFromEnv", () => {
  it("uses the fallback when unset and names the variable when malformed", () => {
    delete process.env.TEST_PORT_VAR;
    expect(portFromEnv("TEST_PORT_VAR", 3000)).toBe(3000);
    process.env.TEST_PORT_VAR = "80a";
    expect(() => portFromEnv("TEST_PORT_VAR", 3000)).toThrow(/TEST_PORT_VAR must be a port number/);
    process.env.TEST_PORT_VAR = "4100";
    expect(portFromEnv("TEST_PORT_VAR", 3000)).toBe(4100);
  });
});
