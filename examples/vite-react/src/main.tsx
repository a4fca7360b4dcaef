// src/main.tsx — start the mock before the first render when the build asks for it
import { createRoot } from "react-dom/client";
import { App } from "./App";

async function enableMocking() {
  // An explicit switch, not import.meta.env.DEV: `vite build` (preview, staging) sets DEV to false.
  if (import.meta.env.VITE_API_MOCK !== "true") return;
  const { worker } = await import("./mocks/browser");
  await worker.start({ quiet: true, onUnhandledRequest: "bypass" });
}

// .then(), not a top-level await: Vite 5 and 6 build for targets without top-level await.
enableMocking().then(() => {
  createRoot(document.getElementById("root")!).render(<App />);
});
