// The answers each operation declares, as data for forced answers (`Prefer: code=…` and fault rules):
// per status, the codes its description and examples name, the examples' bodies and the declared
// headers. Generated so that the server and the MSW handlers read the spec's word without bundling it.

const refName = (ref) => ref.split("/").at(-1);

function resolve(document, node, section) {
  return node?.$ref === undefined ? node : document.components[section][refName(node.$ref)];
}

/** The codes a response can carry: the ones its description names, then its examples' (first is the default). */
function answerOf(document, status, response) {
  const [mediaType, content] = Object.entries(response.content ?? {})[0] ?? [];
  const schema = content?.schema?.$ref === undefined ? undefined : refName(content.schema.$ref);
  const vocabulary =
    schema === "Problem"
      ? document.components.schemas.ProblemCode.enum
      : schema === "OAuthError"
        ? document.components.schemas.OAuthError.properties.error.enum
        : [];
  const codeField = schema === "OAuthError" ? "error" : "code";
  const examples = Object.values(content?.examples ?? {}).map((e) => resolve(document, e, "examples").value);
  const codes = [];
  for (const word of (response.description ?? "").match(/[A-Za-z_]+/g) ?? []) {
    if (vocabulary.includes(word) && !codes.includes(word)) codes.push(word);
  }
  const bodies = {};
  for (const example of examples) {
    const code = example?.[codeField];
    if (typeof code !== "string") continue;
    if (!codes.includes(code)) codes.push(code);
    bodies[code] ??= example;
  }
  return {
    status: Number(status),
    mediaType: mediaType ?? null,
    codes,
    bodies,
    example: examples[0] ?? null,
    headers: Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()),
  };
}

/** `declaredAnswers` by operationId, for the public operations (the test-control API forces nothing of its own). */
export function answersSource(document, header) {
  const out = {};
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId === undefined || operation.tags?.includes("admin")) continue;
      out[operation.operationId] = Object.entries(operation.responses).map(([status, node]) =>
        answerOf(document, status, resolve(document, node, "responses")),
      );
    }
  }
  return `${header}/* biome-ignore-all format: generated */
/** One declared answer of an operation: its status, the codes it can carry (the first is the default), example bodies by code, the first example, declared header names. */
export interface DeclaredAnswer {
  readonly status: number;
  readonly mediaType: string | null;
  readonly codes: readonly string[];
  readonly bodies: Readonly<Record<string, unknown>>;
  readonly example: unknown;
  readonly headers: readonly string[];
}

export const declaredAnswers: Readonly<Record<string, readonly DeclaredAnswer[]>> = ${JSON.stringify(out, null, 2)};
`;
}
