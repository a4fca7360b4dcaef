import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CannotJudge } from "../../src/base/config/errors.js";
import { bodySummary, preflight } from "../../src/verify/probe/preflight.js";

/** A proxy whose upstream is down: its front page answers, the token endpoint gets a 502 HTML page. */
const page = `<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`;

describe("what the preflight says when a login is answered by a failing proxy", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/") return void res.writeHead(200).end("ok");
      res.writeHead(502, { "content-type": "text/html" }).end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("names the 502 and the page's title, and the fix is the server behind the proxy, not --users or --client", async () => {
    const error = await preflight({
      target: url,
      client: { id: "clientapp", secret: "secret" },
      users: [{ username: "buyer@example.com", password: "pw" }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotJudge);
    const { message, fix } = error as CannotJudge;
    expect(message).toBe(
      'login as buyer@example.com at POST /oauth/token answered 502: an HTML page "502 Bad Gateway" — the server behind --target (or a proxy in front of it) failed',
    );
    expect(message).not.toContain("<");
    expect(fix).not.toMatch(/--users|--client/);
    expect(fix).toContain("server behind --target is up");
  });

  it("summarises a body in one line", () => {
    expect(bodySummary("<html><body>\n  upstream\n  down </body></html>")).toBe('an HTML page ("upstream down")');
    expect(bodySummary('{"error":"x"}\n')).toBe('{"error":"x"}');
    expect(bodySummary("")).toBe("an empty body");
  });
});
