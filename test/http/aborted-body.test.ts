import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIncidentLog } from "../../src/backend/server/incident-log.js";
import { api } from "../helpers/api.js";
import { adminKey, buyer, type RunningReference, startReference } from "../helpers/reference.js";

// A client that declares a body and closes the connection part-way through it. Anyone can do this
// to a server; it is not a bug of the server's and must not write a stack trace each time.

const aborts = 20;

/** Sends the headers and 13 of the declared 1000 body bytes, then closes the socket. */
function abortedRequest(base: string, target: string, type: string, headers = ""): Promise<void> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${type}\r\n${headers}Content-Length: 1000\r\n\r\ngrant_type=pa`,
        () => {
          socket.destroy();
          resolve();
        },
      );
    });
    socket.on("error", reject);
  });
}

describe("request bodies cut off by the client", () => {
  const lines: string[] = [];
  let seen = 0;
  let allSeen: () => void = () => {};
  const everyOneSeen = new Promise<void>((resolve) => {
    allSeen = resolve;
  });
  const count = () => {
    if (++seen === aborts) allSeen();
  };
  const log = createIncidentLog({ write: (line) => lines.push(line), schedule: () => {} });
  let server: RunningReference;

  beforeAll(async () => {
    server = await startReference({
      onIncident: (cause, message) => {
        log(cause, message);
        count();
      },
      onUnexpected: (error) => {
        lines.push(`unexpected error: ${(error as Error).stack ?? String(error)}`);
        count();
      },
    });
  });
  afterAll(() => server?.close());

  it("are counted with one log line and no stack, and change nothing", async () => {
    const client = api(server.url);
    const before = (await client.snapshot()).body;
    for (let i = 0; i < aborts; i++) {
      if (i % 2 === 0) await abortedRequest(server.url, "POST /oauth/token", "application/x-www-form-urlencoded");
      else await abortedRequest(server.url, "PUT /__admin/stock", "application/json", `X-Admin-Key: ${adminKey}\r\n`);
    }
    await everyOneSeen;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aborted-body: POST \/oauth\/token: the connection closed after \d+ of 1000 body bytes/);
    expect(lines[0]).not.toMatch(/\n\s+at /);
    const after = (await client.snapshot()).body;
    expect({ ...after, takenAt: 0 }).toEqual({ ...before, takenAt: 0 });
    // The server still answers whole requests.
    expect(await client.login(buyer)).toEqual(expect.any(String));
  });
});
