// Generated from openapi/openapi.yaml by `npm run gen` — do not edit.
/* biome-ignore-all format: generated */
export const specPaths = [
  "/oauth/token",
  "/orders/payment/choice",
  "/orders/payment/kcp/payResultTest/{paymentOrderId}",
  "/orders/payment/cancel/{paymentOrderId}",
  "/__admin/stock",
  "/__admin/snapshot",
  "/__admin/reset",
  "/__admin/faults",
  "/__admin/requests"
] as const;
