// src/api.ts — the app's one client; its OAuth client and test-control key are build settings
import { createStockproofClient } from "stockproof-mock/client";

export const client = createStockproofClient({
  baseUrl: "/api",
  clientId: import.meta.env.VITE_OAUTH_CLIENT_ID,
  clientSecret: import.meta.env.VITE_OAUTH_CLIENT_SECRET,
  adminKey: import.meta.env.VITE_ADMIN_KEY, // set only where the test-control API is meant to be used
});
