export interface ReadmeLine {
  readonly command: string;
  readonly comment: string;
}
export function twoCommands(readme: string): ReadmeLine[];
export function readmeCommand(which: "serve" | "test", readme?: string): ReadmeLine;
