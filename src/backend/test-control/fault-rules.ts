/**
 * @module
 * Fault rules, checked against the spec, then tried in order on each request to delay, force or cut it.
 */

import type { components } from "../generated/openapi.js";
import type { FieldError } from "../spec/field-errors.js";
import { validateSchema } from "../spec/request-validators.js";
import { type ChosenAnswer, chooseAnswer, type PublicOperation } from "./declared-answer.js";

export type FaultRule = components["schemas"]["FaultRule"];
export type FaultRuleState = components["schemas"]["FaultRuleState"];
export type TransportFault = NonNullable<FaultRule["transport"]>;

export type RulesCheck =
  | { readonly ok: true; readonly value: readonly FaultRule[] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** What a rule does to a request it matches. */
export interface Fault {
  readonly ruleId: number;
  readonly delayMs: number;
  /** The answer sent instead of running the operation, if any. */
  readonly answer: ChosenAnswer | null;
  /** The connection is cut without an answer, if set. */
  readonly transport: TransportFault | null;
}

/** The facts of a request a rule can match on; the SKUs are read only when a rule names one. */
export interface FaultRequest {
  readonly operationId: PublicOperation;
  readonly paymentOrderId: () => string | undefined;
  readonly productStockIds: () => readonly number[];
}

/** The checks the schema cannot make: the rule must do something, to requests that exist, with a declared answer. */
function ruleErrors(rule: FaultRule, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const has = (value: unknown) => value !== undefined;
  if (!has(rule.delayMs) && !has(rule.status) && !has(rule.code) && !has(rule.transport)) {
    errors.push({ path: at, message: `${at} does nothing: give delayMs, status, code or transport.` });
  }
  if (has(rule.transport) && (has(rule.status) || has(rule.code))) {
    errors.push({
      path: `${at}.transport`,
      message: `${at}.transport cuts the connection, so no status or code can be answered: give one or the other.`,
    });
  }
  if (has(rule.productStockId) && rule.operationId !== "reserveStock") {
    errors.push({
      path: `${at}.productStockId`,
      message: `${at}.productStockId would match nothing: only reserveStock requests name SKUs (got operationId ${rule.operationId}).`,
    });
  }
  if (has(rule.paymentOrderId) && rule.operationId === "createToken") {
    errors.push({
      path: `${at}.paymentOrderId`,
      message: `${at}.paymentOrderId would match nothing: createToken requests name no paymentOrderId.`,
    });
  }
  if (has(rule.status) || has(rule.code)) {
    const choice = chooseAnswer(rule.operationId, {
      ...(rule.status === undefined ? {} : { status: rule.status }),
      ...(rule.code === undefined ? {} : { code: rule.code }),
    });
    if (!choice.ok) errors.push({ path: `${at}.${choice.field}`, message: `${at}.${choice.field}: ${choice.detail}` });
  }
  return errors;
}

/**
 * Checks a list of rules against the spec's schema and the operations' declared answers; every
 * error names its field (`rules[1].status`). Nothing is applied here: the caller replaces the
 * rules only when the whole list passes.
 */
export function checkFaultRules(input: unknown): RulesCheck {
  const checked = validateSchema<components["schemas"]["FaultRulesRequest"]>("FaultRulesRequest", input);
  if (!checked.ok) return { ok: false, errors: checked.errors };
  const errors = checked.value.rules.flatMap((rule, i) => ruleErrors(rule, `rules[${i}]`));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: checked.value.rules };
}

interface Held {
  readonly id: number;
  readonly rule: FaultRule;
  applied: number;
}

export interface FaultBook {
  /** Replaces the rules with a list `checkFaultRules` accepted. */
  replace(rules: readonly FaultRule[]): readonly FaultRuleState[];
  clear(): readonly FaultRuleState[];
  list(): readonly FaultRuleState[];
  /** The first rule in force that matches the request, used up once; null when none does. */
  take(request: FaultRequest): Fault | null;
}

/** The fault rules in force, tried in order; a rule with `times` stops applying after that many requests. */
export function createFaultBook(): FaultBook {
  let rules: Held[] = [];
  let nextId = 1;
  const remaining = (h: Held) => (h.rule.times === undefined ? null : h.rule.times - h.applied);
  const list = (): FaultRuleState[] =>
    rules.map((h) => ({ id: h.id, rule: h.rule, applied: h.applied, remaining: remaining(h) }));
  const matches = (h: Held, request: FaultRequest) =>
    h.rule.operationId === request.operationId &&
    remaining(h) !== 0 &&
    (h.rule.paymentOrderId === undefined || h.rule.paymentOrderId === request.paymentOrderId()) &&
    (h.rule.productStockId === undefined || request.productStockIds().includes(h.rule.productStockId));
  return {
    replace(next) {
      rules = next.map((rule) => ({ id: nextId++, rule, applied: 0 }));
      return list();
    },
    clear() {
      rules = [];
      return list();
    },
    list,
    take(request) {
      const held = rules.find((h) => matches(h, request));
      if (held === undefined) return null;
      held.applied++;
      const { rule } = held;
      let answer: ChosenAnswer | null = null;
      if (rule.status !== undefined || rule.code !== undefined) {
        const choice = chooseAnswer(rule.operationId, {
          ...(rule.status === undefined ? {} : { status: rule.status }),
          ...(rule.code === undefined ? {} : { code: rule.code }),
        });
        // checkFaultRules accepted the rule, so its answer is declared.
        if (!choice.ok) throw new Error(`fault rule ${held.id}: ${choice.detail}`);
        answer = choice.value;
      }
      return { ruleId: held.id, delayMs: rule.delayMs ?? 0, answer, transport: rule.transport ?? null };
    },
  };
}
