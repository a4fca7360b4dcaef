export * from "stockproof-mock/types";
