export * from "stockproof-mock/client";
