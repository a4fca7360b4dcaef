// src/mocks/story-setup.ts — a per-story loader: every story starts from the catalog, logged in
import { client } from "../api";

export async function stockproofStory(): Promise<Record<string, never>> {
  const reset = await client.reset(); // the test-control API, through the worker (VITE_ADMIN_KEY)
  if (reset.error) throw new Error(`stockproof reset failed: ${reset.error.code}`);
  const login = await client.login("buyer@example.com", "buyer-password");
  if (login.error) throw new Error(`stockproof login failed with HTTP ${login.response.status}`);
  return {};
}
