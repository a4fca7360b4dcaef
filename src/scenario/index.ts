/** The scenario runner as a library: load → run → check → report. */

export { builtinNames, locateScenario } from "./builtins.js";
export {
  type CaseSummary,
  type CheckContext,
  type CheckDefinition,
  checkRun,
  checks,
  type StockRow,
  type Verdict,
} from "./check/index.js";
export type { Check, CheckId, CheckStatus, Divergence, Judgement, RequestRef, Violation } from "./check/types.js";
export { type ComparisonRow, compareRuns } from "./compare.js";
export { formatLoadError, loadScenario, parseScenario, type ScenarioLoadError, type ScenarioProblem } from "./load.js";
export { type ModelRun, runModel } from "./model.js";
export { createProgressView } from "./progress.js";
export { htmlReport } from "./report/html.js";
export { jsonReport } from "./report/json.js";
export { junitReport } from "./report/junit.js";
export { terminalReport } from "./report/terminal.js";
export {
  type Observation,
  type PhaseRun,
  type Progress,
  type RunOptions,
  type RunResult,
  runScenario,
} from "./runner.js";
export type { Scenario } from "./types.js";
