import { Ajv2020 } from "ajv/dist/2020.js";
import { spec } from "../../src/backend/generated/spec.js";

type HeaderObject = { $ref?: string; schema?: object };
type ResponseObject = { $ref?: string; headers?: Record<string, HeaderObject> };

const ajv = new Ajv2020({ strict: false });

const lastSegment = (ref: string) => ref.split("/").at(-1) as string;

function resolveResponse(response: ResponseObject): ResponseObject {
  if (response.$ref === undefined) return response;
  const responses = spec.components.responses as unknown as Record<string, ResponseObject>;
  return responses[lastSegment(response.$ref)] ?? {};
}

function resolveHeader(header: HeaderObject): HeaderObject {
  if (header.$ref === undefined) return header;
  const headers = spec.components.headers as unknown as Record<string, HeaderObject>;
  return headers[lastSegment(header.$ref)] ?? {};
}

/** The response headers the spec declares for one status of an operation, with their schemas. */
export function declaredHeaders(operationId: string, status: number): Record<string, object> {
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item) as { operationId?: string; responses?: Record<string, ResponseObject> }[]) {
      if (op.operationId !== operationId) continue;
      const response = op.responses?.[String(status)];
      if (response === undefined) return {};
      const headers = resolveResponse(response).headers ?? {};
      return Object.fromEntries(
        Object.entries(headers).map(([name, header]) => [name.toLowerCase(), resolveHeader(header).schema ?? {}]),
      );
    }
  }
  throw new Error(`No operation ${operationId} in the spec`);
}

/**
 * Problems with the headers of a response: every header the spec declares for this status must be
 * present (the reference always sends them) and match its schema.
 */
export function headerProblems(operationId: string, status: number, headers: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(declaredHeaders(operationId, status))) {
    const value = headers[name];
    if (value === undefined) {
      problems.push(`${operationId} ${status}: header ${name} is declared but missing`);
      continue;
    }
    if (!ajv.validate(schema, value)) {
      problems.push(`${operationId} ${status}: header ${name}: ${JSON.stringify(value)} ${ajv.errorsText()}`);
    }
  }
  return problems;
}
