export * from "stockproof-mock/msw";
