export const areas: Readonly<Record<string, readonly string[]>>;
export const groups: readonly string[];
export interface Import {
  readonly from: string;
  readonly to: string;
}
export function sourceImports(src?: string): Import[];
export function areaOf(path: string): string;
export interface Judgement {
  readonly judged: number;
  readonly unknownAreas: string[];
  readonly backArrows: string[];
  readonly areaCycles: string[];
  readonly fileCycles: string[];
  readonly tableCycles: string[];
}
export function judge(imports?: readonly Import[]): Judgement;
