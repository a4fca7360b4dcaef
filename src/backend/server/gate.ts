/**
 * @module
 * A handler that holds requests until the app exists, so the server owns its port before opening the database.
 */

export type FetchHandler = (request: Request, bindings?: unknown) => Response | Promise<Response>;

export interface Gate {
  /** Serves through the app once opened; until then, requests wait. */
  readonly fetch: FetchHandler;
  open(app: FetchHandler): void;
}

/**
 * A handler to listen with before the app exists, so that a server owns its port before it opens
 * (or resets) its database. Requests that arrive in between wait for `open`, then go through.
 */
export function createGate(): Gate {
  let app: FetchHandler | undefined;
  let release: (app: FetchHandler) => void = () => {};
  const opened = new Promise<FetchHandler>((resolve) => {
    release = resolve;
  });
  return {
    fetch: (request, bindings) =>
      app === undefined ? opened.then((ready) => ready(request, bindings)) : app(request, bindings),
    open(handler) {
      app = handler;
      release(handler);
    },
  };
}
