// src/mocks/handlers.ts — stockproof's API beside the app's own endpoints
import { HttpResponse, http } from "msw";
import { createHandlers } from "stockproof-mock/msw";

export const handlers = [
  ...createHandlers({ baseUrl: "/api" }), // takes only the spec's paths under /api; the rest falls through
  http.get("/api/products", () => HttpResponse.json([{ productStockId: 311191, name: "T-shirt", price: 1500 }])),
  http.get("/api/profile", () => HttpResponse.json({ name: "Demo Buyer" })),
];
