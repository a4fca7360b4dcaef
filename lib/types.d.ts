// `stockproof/types`: the types generated from the OpenAPI spec, from stockproof-mock (one copy in an app that has both).
export * from "stockproof-mock/types";
