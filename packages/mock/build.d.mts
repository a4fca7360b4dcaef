import type { BuildOptions, BuildResult } from "esbuild";

/** esbuild's options for the mock's bundle (metafile on, msw and the dependencies external). */
export declare const bundleOptions: BuildOptions & { metafile: true; outdir: string };
export declare function buildMock(): Promise<BuildResult<{ metafile: true }>>;
