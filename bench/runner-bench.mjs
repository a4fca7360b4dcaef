// Runner rows are added once the scenario runner exists.
export async function runnerRows() {
  throw new Error("the scenario runner is not built yet");
}
