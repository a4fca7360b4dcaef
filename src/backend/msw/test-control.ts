/**
 * @module
 * The mock backend's test-control features as function calls, the same the HTTP test-control API makes.
 */

import type { components } from "../generated/openapi.js";
import { checkFaultRules, type FaultRule, type FaultRuleState } from "../test-control/fault-rules.js";
import type { TestControl } from "../test-control/index.js";

type RequestJournal = components["schemas"]["RequestJournal"];

/** The test-control features of the mock backend as calls, the same ones the HTTP test-control API makes. */
export interface MockTestControl {
  readonly faults: {
    /** Replaces the fault rules; throws, changing nothing, naming the field of a bad rule (as PUT /__admin/faults answers 400). */
    set(rules: readonly FaultRule[]): readonly FaultRuleState[];
    /** Removes every rule (as DELETE /__admin/faults). */
    clear(): readonly FaultRuleState[];
    /** The rules in force, with how often each applied. */
    list(): readonly FaultRuleState[];
  };
  /** The journal (as GET /__admin/requests): requests at or after `since` (a Date or RFC 3339 text), oldest first. */
  requests(since?: Date | string): RequestJournal["requests"];
}

export function mockTestControl(control: TestControl | null): MockTestControl {
  const on = (): TestControl => {
    if (control === null) {
      throw new Error(
        "stockproof mock: the test-control features are off (adminKey: null); leave adminKey unset or give a key",
      );
    }
    return control;
  };
  return {
    faults: {
      set(rules) {
        const checked = checkFaultRules({ rules });
        if (!checked.ok) {
          throw new Error(
            `stockproof mock faults.set: ${checked.errors.map((e) => e.message).join("; ")}. The rules in force are unchanged.`,
          );
        }
        return on().faults.replace(checked.value);
      },
      clear: () => on().faults.clear(),
      list: () => on().faults.list(),
    },
    requests(since) {
      const sinceMs = since === undefined ? undefined : since instanceof Date ? since.getTime() : Date.parse(since);
      if (sinceMs !== undefined && Number.isNaN(sinceMs)) {
        throw new Error(
          `stockproof mock requests: since ${JSON.stringify(since)} is not a date; give a Date or e.g. 2021-06-21T11:21:51.000Z`,
        );
      }
      return on().journal.read(sinceMs).requests;
    },
  };
}
