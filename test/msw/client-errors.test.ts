// The typed client's `error`: what the types say is what arrives, including bodies the spec does not
// declare (an empty 502 from a proxy, a dev server's HTML 404).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import {
  createStockproofClient,
  type ErrorCode,
  errorCode,
  isOAuthError,
  isProblem,
  type OAuthError,
  type Problem,
  type UnexpectedResponse,
} from "../../src/verify/client/index.js";

const base = "http://127.0.0.1:1";

/** A client whose every call gets this answer. */
const answering = (body: string | null, init: ResponseInit) =>
  createStockproofClient({ baseUrl: base, fetch: async () => new Response(body, init) });

describe("client errors", () => {
  it("an empty or non-JSON error body is an UnexpectedResponse, never a string", async () => {
    const empty = await answering(null, { status: 502 }).reserve([{ productStockId: 1, orderCount: 1 }]);
    expect(empty.error).toEqual({
      code: "UNEXPECTED_RESPONSE",
      status: 502,
      detail: "HTTP 502 with an empty body",
      body: "",
    });
    const html = await answering("<h1>Not Found</h1>", { status: 404, headers: { "content-type": "text/html" } }).pay(
      "P1",
    );
    expect(html.error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 404, body: "<h1>Not Found</h1>" });
    expect(html.error?.detail).toContain("<h1>Not Found</h1>");
    const foreignJson = await answering('{"message":"rate limited"}', { status: 429 }).login("a", "b");
    expect(foreignJson.error).toMatchObject({ code: "UNEXPECTED_RESPONSE", body: '{"message":"rate limited"}' });
    expect(errorCode(foreignJson.error as UnexpectedResponse)).toBe("UNEXPECTED_RESPONSE");
  });

  it("a 2xx answer whose body is not the API's JSON resolves to an UnexpectedResponse too", async () => {
    // What an SPA fallback answers for every path when the mock did not start (vite preview: 200 text/html).
    const page = "<!doctype html><html><body><div id=root></div></body></html>";
    const fallback = await answering(page, { status: 200, headers: { "content-type": "text/html" } }).snapshot();
    expect(fallback.data).toBeUndefined();
    expect(fallback.error).toEqual({
      code: "UNEXPECTED_RESPONSE",
      status: 200,
      detail: `HTTP 200 with a body that is not the API's JSON: ${page}`,
      body: page,
    });
    const empty = await answering(null, { status: 200 }).reserve([{ productStockId: 1, orderCount: 1 }]);
    expect(empty.error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200, body: "" });
    const noContent = await answering(null, { status: 204 }).pay("P1");
    expect(noContent.error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 204 });
    const truncated = await answering('{"access_token":"a', {
      status: 200,
      headers: { "content-type": "application/json" },
    }).login("a", "b");
    expect(truncated.error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200, body: '{"access_token":"a' });
    const jsonAsHtml = await answering('{"skus":[],"orders":[]}', {
      status: 200,
      headers: { "content-type": "text/html" },
    }).snapshot();
    expect(jsonAsHtml.error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200 });
    const scalar = await answering("null", { status: 200, headers: { "content-type": "application/json" } }).cancel(
      "P1",
    );
    expect(scalar.error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200, body: "null" });
  });

  it("an SPA fallback on a real loopback server: the call resolves, naming the status and the page", async () => {
    const page = "<!doctype html><title>shop</title>";
    const server = createServer((_, response) => response.writeHead(200, { "content-type": "text/html" }).end(page));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = createStockproofClient({ baseUrl: `http://127.0.0.1:${port}/api`, ...demoCredentials });
      const { error } = await client.snapshot();
      expect(error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200, body: page });
      const login = await client.login("buyer@example.com", "buyer-password");
      expect(login.error).toMatchObject({ code: "UNEXPECTED_RESPONSE", detail: expect.stringContaining("HTTP 200") });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a network failure rejects: there is no answer to describe", async () => {
    const failing = createStockproofClient({
      baseUrl: base,
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
    });
    await expect(failing.reserve([{ productStockId: 1, orderCount: 1 }])).rejects.toThrow("Failed to fetch");
    await expect(failing.login("a", "b")).rejects.toThrow(TypeError);
    // A real refused connection: nothing listens on port 1 of loopback.
    const refused = createStockproofClient({ baseUrl: "http://127.0.0.1:1" });
    await expect(refused.snapshot()).rejects.toThrow(TypeError);
  });

  it("the token endpoint's errors are OAuth errors (code in `error`), the order calls' are problems", async () => {
    const backend = createMockBackend({ baseUrl: base });
    const client = createStockproofClient({ baseUrl: base, ...demoCredentials, fetch: backend.fetch });
    const wrong = await client.login("buyer@example.com", "wrong-password");
    expect(isOAuthError(wrong.error)).toBe(true);
    expect(isProblem(wrong.error)).toBe(false);
    expect(wrong.error && errorCode(wrong.error)).toBe("invalid_grant");

    const unauthenticated = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
    expect(isProblem(unauthenticated.error)).toBe(true);
    expect(unauthenticated.error?.code).toBe("INVALID_TOKEN");
    expect(unauthenticated.error && errorCode(unauthenticated.error)).toBe("INVALID_TOKEN");

    await client.login("buyer@example.com", "buyer-password");
    const reserved = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
    expect(reserved.error).toBeUndefined();
    expect(reserved.data?.status).toBe("RESERVED");
  });

  it("types: error is the spec's error union plus UnexpectedResponse; narrowing on error gives data", async () => {
    const client = createStockproofClient({
      baseUrl: base,
      ...demoCredentials,
      fetch: createMockBackend({ baseUrl: base }).fetch,
    });
    const login = await client.login("buyer@example.com", "buyer-password");
    expectTypeOf(login.error).toEqualTypeOf<OAuthError | Problem | UnexpectedResponse | undefined>();
    const reserve = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
    expectTypeOf(reserve.error).toEqualTypeOf<Problem | UnexpectedResponse | undefined>();
    expectTypeOf(reserve.error?.code).toEqualTypeOf<Problem["code"] | "UNEXPECTED_RESPONSE" | undefined>();
    // @ts-expect-error an OAuth error has no `code`: use errorCode(error) or isOAuthError(error)
    expect(login.error?.code).toBeUndefined();
    expectTypeOf(errorCode).returns.toEqualTypeOf<ErrorCode>();
    // @ts-expect-error a problem's own fields need narrowing first: UnexpectedResponse has no shortages
    expect(reserve.error?.shortages).toBeUndefined();
    if (isProblem(reserve.error)) expectTypeOf(reserve.error.shortages).toEqualTypeOf<Problem["shortages"]>();
    expectTypeOf(client.accessToken).toEqualTypeOf<string | undefined>();
    expectTypeOf(client.useAccessToken).parameter(0).toEqualTypeOf<string | undefined>();
    const { data, error } = reserve;
    if (error) return;
    expectTypeOf(data.paymentOrderId).toEqualTypeOf<string>();
  });
});
