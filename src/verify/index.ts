/** The verification tooling as a library: load → run → check → report. */

export { htmlReport } from "./report/run/html.js";
export { jsonReport } from "./report/run/json.js";
export { junitReport } from "./report/run/junit.js";
export { terminalReport } from "./report/run/terminal.js";
export { builtinNames, locateScenario } from "./scenario/builtins.js";
export {
  type CaseSummary,
  type CheckContext,
  type CheckDefinition,
  checkRun,
  checks,
  type StockRow,
  type Verdict,
} from "./scenario/check/index.js";
export type {
  Check,
  CheckId,
  CheckStatus,
  Divergence,
  Judgement,
  RequestRef,
  Violation,
} from "./scenario/check/types.js";
export { type ComparisonRow, compareRuns } from "./scenario/compare.js";
export {
  formatLoadError,
  loadScenario,
  parseScenario,
  type ScenarioLoadError,
  type ScenarioProblem,
} from "./scenario/load.js";
export { type ModelRun, runModel } from "./scenario/model.js";
export { createProgressView } from "./scenario/progress.js";
export {
  type Observation,
  type PhaseRun,
  type Progress,
  type RunOptions,
  type RunResult,
  runScenario,
} from "./scenario/runner.js";
export type { Scenario } from "./scenario/types.js";
