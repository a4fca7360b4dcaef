/** The numbers a threshold can name, k6-style. */
export interface ThresholdMetrics {
  percentile(p: number): number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
  readonly med: number;
  /** 5xx, timeouts, network errors and aborted requests. */
  readonly errors: number;
  readonly indeterminate: number;
  readonly timeouts: number;
  readonly server_errors: number;
  /** 4xx answers of any kind. */
  readonly rejected: number;
  /** Requests that failed as k6's http_req_failed counts them: 4xx, 5xx and no answer at all. */
  readonly failed: number;
  /** `failed` over the requests sent, from 0 to 1 (k6's http_req_failed rate). */
  readonly failed_rate: number;
  readonly rps: number;
}

export interface ThresholdResult {
  readonly expression: string;
  readonly value: number;
  readonly passed: boolean;
}

const pattern =
  /^\s*(p\((\d+(?:\.\d+)?)\)|avg|min|max|med|errors|indeterminate|timeouts|server_errors|rejected|failed_rate|http_req_failed|failed|rps)\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/;

const compare: Record<string, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

/** Evaluates e.g. `p(99) < 200ms`, `errors == 0`, `rps > 50`; latencies in milliseconds. */
export function evaluateThreshold(expression: string, metrics: ThresholdMetrics): ThresholdResult {
  const match = pattern.exec(expression);
  if (match === null)
    throw new Error(`Not a threshold: "${expression}" (e.g. "p(99) < 200ms", "errors == 0", "failed_rate < 0.01")`);
  const [, metric = "", percentile, op = "==", number = "0", unit] = match;
  const limit = Number(number) * (unit === "s" ? 1000 : 1);
  const value =
    percentile !== undefined
      ? metrics.percentile(Number(percentile))
      : metric === "http_req_failed"
        ? metrics.failed_rate
        : (metrics[metric as keyof ThresholdMetrics] as number);
  return {
    expression: expression.trim(),
    value,
    passed: (compare[op] as (a: number, b: number) => boolean)(value, limit),
  };
}
