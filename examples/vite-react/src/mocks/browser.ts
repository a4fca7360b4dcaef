// src/mocks/browser.ts
import { setupWorker } from "msw/browser";
import { createHandlers } from "stockproof-mock/msw";

export const worker = setupWorker(...createHandlers({ baseUrl: "/api" }));
