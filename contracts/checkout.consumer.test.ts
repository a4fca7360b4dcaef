import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { afterAll, describe, expect, it } from "vitest";
import { cancelPath, pathTemplates, payPath } from "../src/verify/client/paths.js";
import { reserveParameters, stockLineData } from "../src/verify/client/reserve-query.js";
import { keepPactOffline } from "../src/verify/contract/pact-offline.js";
import { type ProviderState, states } from "../src/verify/contract/provider-states.js";
import { createCheckoutClient } from "./checkout-client.js";
import { matchSettled } from "./match-settled.js";

const { equal, fromProviderState, integer, regex, string, uuid } = MatchersV3;

/**
 * Consumer contracts of the checkout web app. Each run writes the pact to a fresh directory;
 * `npm run contracts:consumer` (STOCKPROOF_UPDATE_PACTS=1) copies it over contracts/pacts/, and a
 * plain `npm test` checks the checked-in pact is exactly what these tests produce.
 */
const pactName = "checkout-web-stockproof-api.json";
const checkedIn = new URL(`./pacts/${pactName}`, import.meta.url).pathname;
keepPactOffline();
const outDir = mkdtempSync(join(tmpdir(), "stockproof-pact-"));
const pact = new PactV4({ consumer: "checkout-web", provider: "stockproof-api", dir: outDir, logLevel: "warn" });

const buyer = { username: "buyer@example.com", password: "buyer-password" };
const sku = 311191;
const orderId = "P_1624337711110_144602_843b81";
const exampleJwt =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX25hbWUiOiIxNDQ2MDIifQ.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl";
const jwt = (example = exampleJwt) => regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, example);
const isoInstant = regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, "2021-06-21T11:21:51.000Z");
/** The token a state hands over; the provider injects a real one. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Pact provider-state expression, not a JS template
const bearerFromState = () => fromProviderState("Bearer ${accessToken}", `Bearer ${exampleJwt}`);

const given = (interaction: ReturnType<typeof pact.addInteraction>, ...list: ProviderState[]) =>
  list.reduce((i, s) => i.given(s.name, s.params), interaction);

/**
 * PactV4's request builder records string bodies as opaque binary; the FFI underneath it takes a
 * form-urlencoded body described as JSON with matchers, so the form's fields are really compared.
 */
function formBody(builder: object, fields: Record<string, unknown>): void {
  const { interaction } = builder as { interaction: { withRequestBody(body: string, contentType: string): boolean } };
  interaction.withRequestBody(JSON.stringify(fields), "application/x-www-form-urlencoded");
}

const tokenResponse = {
  access_token: jwt(),
  token_type: "bearer",
  refresh_token: jwt(),
  expires_in: integer(86399),
  scope: "read write",
  jti: uuid("73404d41-6fee-47c6-8af2-1722a98cd0cc"),
};

function orderBody(status: string, count = 1) {
  return {
    paymentOrderId: orderId,
    status,
    userName: string("144602"),
    lines: [
      {
        productStockId: sku,
        count,
        productId: integer(219622),
        productName: string("210521 KINGMING TEST PRODUCT 003"),
        color: string("BLACK"),
        size: string("L"),
      },
    ],
    amount: "3000",
    createdAt: isoInstant,
    updatedAt: isoInstant,
  };
}

function problemBody(status: number, code: string, extra: Record<string, unknown> = {}) {
  return {
    type: string(`urn:stockproof:problem:${code.toLowerCase().replaceAll("_", "-")}`),
    title: string(code),
    status,
    code,
    detail: string(`${code} detail`),
    ...extra,
  };
}

// Set under the name the FFI checks, so it does not add "Content-Type: application/json" beside it.
const problemJson = { "Content-Type": regex(/^application\/problem\+json(;.*)?$/, "application/problem+json") };
const cart = (orderCount: number) => [{ productStockId: sku, orderCount }];
const reserveQuery = (paymentOrderId: string, customData: string) => ({
  ...reserveParameters({ amount: "3000", timestamp: "20210621", paymentOrderId, customData }),
  // A bare string that parses as JSON would be read by the Pact FFI as a matcher definition.
  customData: equal(customData),
});
const stockData = (orderCount: number) => JSON.stringify(stockLineData(cart(orderCount)));
const reservedBy = (status: "reserved" | "paid" | "cancelled") =>
  states.order(status, orderId, buyer.username, { productStockId: sku, orderCount: 1 });

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/*
 * One pact, built interaction by interaction and compared whole at the end: these tests keep their
 * order in a shuffled run (STOCKPROOF_ORDER_SEED), the file itself still runs at any point.
 */
describe("the checkout web app's consumer contract", { shuffle: false }, () => {
  describe("checkout web app → stockproof API: login", () => {
    it("logs in with a password", () =>
      given(pact.addInteraction(), states.userCanLogIn(buyer.username, buyer.password))
        .uponReceiving("a password login")
        .withRequest("POST", pathTemplates.token, (b) =>
          formBody(b, { grant_type: "password", ...buyer, client_id: "clientapp", client_secret: "secret" }),
        )
        .willRespondWith(200, (b) => b.headers({ "cache-control": "no-store" }).jsonBody(tokenResponse))
        .executeTest(
          matchSettled(async (server) => {
            const answer = await createCheckoutClient({ baseUrl: server.url }).login(buyer.username, buyer.password);
            expect(answer.ok && answer.value.accessToken).toBe(exampleJwt);
          }),
        ));

    it("refreshes its access token", () =>
      given(pact.addInteraction(), states.holdsRefreshToken(buyer.username))
        .uponReceiving("a refresh_token grant")
        .withRequest("POST", pathTemplates.token, (b) =>
          formBody(b, {
            grant_type: "refresh_token",
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a Pact provider-state expression, not a JS template
            refresh_token: fromProviderState("${refreshToken}", exampleJwt),
            client_id: "clientapp",
            client_secret: "secret",
          }),
        )
        .willRespondWith(200, (b) => b.headers({ "cache-control": "no-store" }).jsonBody(tokenResponse))
        .executeTest(
          matchSettled(async (server) => {
            const answer = await createCheckoutClient({ baseUrl: server.url }).refresh(exampleJwt);
            expect(answer.ok && answer.value.expiresIn).toBe(86399);
          }),
        ));
  });

  describe("checkout web app → stockproof API: reserve", () => {
    it("reserves one unit", () =>
      given(pact.addInteraction(), states.skuHasUnits(sku, 50), states.loggedIn(buyer.username))
        .uponReceiving("a reservation of one unit")
        .withRequest("GET", pathTemplates.reserve, (b) =>
          b.query(reserveQuery(orderId, stockData(1))).headers({ authorization: bearerFromState() }),
        )
        .willRespondWith(200, (b) => b.jsonBody(orderBody("RESERVED")))
        .executeTest(
          matchSettled(async (server) => {
            const answer = await createCheckoutClient({ baseUrl: server.url }).reserve(exampleJwt, orderId, cart(1));
            expect(answer).toEqual({
              ok: true,
              value: { paymentOrderId: orderId, status: "RESERVED", lines: [{ productStockId: sku, count: 1 }] },
            });
          }),
        ));

    it("is told which SKU is short when stock runs out", () =>
      given(pact.addInteraction(), states.skuHasUnits(sku, 1), states.loggedIn(buyer.username))
        .uponReceiving("a reservation of two units when one is left")
        .withRequest("GET", pathTemplates.reserve, (b) =>
          b.query(reserveQuery(orderId, stockData(2))).headers({ authorization: bearerFromState() }),
        )
        .willRespondWith(409, (b) =>
          b
            .headers(problemJson)
            .jsonBody(
              problemBody(409, "OUT_OF_STOCK", { shortages: [{ productStockId: sku, requested: 2, available: 1 }] }),
            ),
        )
        .executeTest(
          matchSettled(async (server) => {
            const answer = await createCheckoutClient({ baseUrl: server.url }).reserve(exampleJwt, orderId, cart(2));
            expect(answer.ok === false && answer.refusal).toMatchObject({
              status: 409,
              code: "OUT_OF_STOCK",
              shortSkus: [sku],
            });
          }),
        ));

    it("is refused a second reservation under the same paymentOrderId", () =>
      given(pact.addInteraction(), states.skuHasUnits(sku, 50), states.loggedIn(buyer.username), reservedBy("reserved"))
        .uponReceiving("a reservation with a paymentOrderId already reserved")
        .withRequest("GET", pathTemplates.reserve, (b) =>
          b.query(reserveQuery(orderId, stockData(1))).headers({ authorization: bearerFromState() }),
        )
        .willRespondWith(409, (b) => b.headers(problemJson).jsonBody(problemBody(409, "DUPLICATE_PAYMENT_ORDER")))
        .executeTest(
          matchSettled(async (server) => {
            const answer = await createCheckoutClient({ baseUrl: server.url }).reserve(exampleJwt, orderId, cart(1));
            expect(answer.ok === false && answer.refusal.code).toBe("DUPLICATE_PAYMENT_ORDER");
          }),
        ));

    it("is refused malformed customData", () => {
      const broken = `{"productInfoList":null,"productStockList":[{"productStockId":${sku},`;
      return given(pact.addInteraction(), states.skuHasUnits(sku, 50), states.loggedIn(buyer.username))
        .uponReceiving("a reservation whose customData is not JSON")
        .withRequest("GET", pathTemplates.reserve, (b) =>
          b.query(reserveQuery(orderId, broken)).headers({ authorization: bearerFromState() }),
        )
        .willRespondWith(400, (b) => b.headers(problemJson).jsonBody(problemBody(400, "MALFORMED_CUSTOM_DATA")))
        .executeTest(
          matchSettled(async (server) => {
            const answer = await createCheckoutClient({ baseUrl: server.url }).reserve(exampleJwt, orderId, {
              customData: broken,
            });
            expect(answer.ok === false && answer.refusal).toMatchObject({ status: 400, code: "MALFORMED_CUSTOM_DATA" });
          }),
        );
    });
  });

  type Step = "pay" | "cancel";
  const stepPath = (step: Step, id: string) => (step === "pay" ? payPath(id) : cancelPath(id));
  const stepMethod = (step: Step) => (step === "pay" ? "GET" : "DELETE");

  function orderStep(
    step: Step,
    before: ProviderState,
    description: string,
    status: number,
    body: Record<string, unknown>,
    id = orderId,
  ) {
    return given(pact.addInteraction(), states.skuHasUnits(sku, 50), states.loggedIn(buyer.username), before)
      .uponReceiving(description)
      .withRequest(stepMethod(step), stepPath(step, id), (b) => b.headers({ authorization: bearerFromState() }))
      .willRespondWith(status, (b) => (status === 200 ? b.jsonBody(body) : b.headers(problemJson).jsonBody(body)))
      .executeTest(
        matchSettled(async (server) => {
          const client = createCheckoutClient({ baseUrl: server.url });
          const answer = await client[step](exampleJwt, id);
          if (status === 200) expect(answer.ok && answer.value.status).toBe(body.status);
          else expect(answer.ok === false && answer.refusal).toMatchObject({ status, code: body.code });
        }),
      );
  }

  describe("checkout web app → stockproof API: pay", () => {
    it("pays a reserved order", () =>
      orderStep("pay", reservedBy("reserved"), "a payment result for a reserved order", 200, orderBody("PAID")));
    it("pays again without harm", () =>
      orderStep("pay", reservedBy("paid"), "a second payment result for a paid order", 200, orderBody("PAID")));
    it("cannot pay a cancelled order", () =>
      orderStep(
        "pay",
        reservedBy("cancelled"),
        "a payment result for a cancelled order",
        409,
        problemBody(409, "ORDER_CANCELLED"),
      ));
  });

  describe("checkout web app → stockproof API: cancel", () => {
    it("cancels a reserved order", () =>
      orderStep("cancel", reservedBy("reserved"), "a cancellation of a reserved order", 200, orderBody("CANCELLED")));
    it("cancels again without harm", () =>
      orderStep(
        "cancel",
        reservedBy("cancelled"),
        "a second cancellation of a cancelled order",
        200,
        orderBody("CANCELLED"),
      ));
    it("cannot cancel a paid order", () =>
      orderStep("cancel", reservedBy("paid"), "a cancellation of a paid order", 409, problemBody(409, "ORDER_PAID")));
  });

  describe("checkout web app → stockproof API: unknown orders and tokens", () => {
    const unknown = "P_404_unknown";
    it("is told an unknown order does not exist (pay)", () =>
      orderStep(
        "pay",
        states.noOrder(buyer.username, unknown),
        "a payment result for an unknown order",
        404,
        problemBody(404, "ORDER_NOT_FOUND"),
        unknown,
      ));
    it("is told an unknown order does not exist (cancel)", () =>
      orderStep(
        "cancel",
        states.noOrder(buyer.username, unknown),
        "a cancellation of an unknown order",
        404,
        problemBody(404, "ORDER_NOT_FOUND"),
        unknown,
      ));

    it("is challenged when it sends no token", () =>
      given(pact.addInteraction(), states.skuHasUnits(sku, 50))
        .uponReceiving("a reservation without a token")
        .withRequest("GET", pathTemplates.reserve, (b) => b.query(reserveQuery(orderId, stockData(1))))
        .willRespondWith(401, (b) =>
          b
            .headers({ ...problemJson, "WWW-Authenticate": regex(/^Bearer( .*)?$/, 'Bearer realm="stockproof"') })
            .jsonBody(problemBody(401, "INVALID_TOKEN")),
        )
        .executeTest(
          matchSettled(async (server) => {
            const answer = await createCheckoutClient({ baseUrl: server.url }).reserve(null, orderId, cart(1));
            expect(answer.ok === false && answer.refusal).toMatchObject({ status: 401, code: "INVALID_TOKEN" });
          }),
        ));

    it("is challenged when its token has expired", () =>
      given(
        pact.addInteraction(),
        states.skuHasUnits(sku, 50),
        states.accessTokenExpired(buyer.username),
        reservedBy("reserved"),
      )
        .uponReceiving("a payment result with an expired token")
        .withRequest("GET", stepPath("pay", orderId), (b) => b.headers({ authorization: bearerFromState() }))
        .willRespondWith(401, (b) =>
          b
            .headers({
              ...problemJson,
              "WWW-Authenticate": regex(
                /^Bearer .*error="invalid_token".*$/,
                'Bearer realm="stockproof", error="invalid_token"',
              ),
            })
            .jsonBody(problemBody(401, "INVALID_TOKEN")),
        )
        .executeTest(
          matchSettled(async (server) => {
            const answer = await createCheckoutClient({ baseUrl: server.url }).pay(exampleJwt, orderId);
            expect(answer.ok === false && answer.refusal).toMatchObject({ status: 401, code: "INVALID_TOKEN" });
          }),
        ));
  });

  describe("the pact file", () => {
    // Runs after every interaction above (vitest runs a file's tests in order).
    it("is the checked-in contracts/pacts file, or replaces it under npm run contracts:consumer", () => {
      const produced = join(outDir, pactName);
      if (process.env.STOCKPROOF_UPDATE_PACTS === "1") {
        mkdirSync(new URL("./pacts/", import.meta.url).pathname, { recursive: true });
        copyFileSync(produced, checkedIn);
      }
      expect(JSON.parse(readFileSync(produced, "utf8"))).toEqual(JSON.parse(readFileSync(checkedIn, "utf8")));
    });
  });
});
