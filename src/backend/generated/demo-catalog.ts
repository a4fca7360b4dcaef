// Generated from catalog/demo.json by `npm run gen` — do not edit.
/* biome-ignore-all format: generated */
import type { components } from "./openapi.js";

export const demoCatalog: components["schemas"]["Catalog"] = {
  "products": [
    {
      "productStockId": 311191,
      "productId": 219622,
      "productName": "210521 KINGMING TEST PRODUCT 003",
      "color": "BLACK",
      "size": "L",
      "salePrice": 3000,
      "stock": 50
    },
    {
      "productStockId": 800001,
      "productId": 800001,
      "productName": "A",
      "color": "NONE",
      "size": "FREE",
      "salePrice": 1000,
      "stock": 800
    },
    {
      "productStockId": 800002,
      "productId": 800002,
      "productName": "B",
      "color": "NONE",
      "size": "FREE",
      "salePrice": 1000,
      "stock": 1600
    }
  ]
};
