import { afterAll } from "vitest";
import { describeMatrix } from "../helpers/matrix/describe-matrix.js";
import { closeTargets } from "../helpers/matrix/targets.js";
import { testControlBehaviour } from "./behaviour/test-control.js";

/** Prefer, fault rules and the request journal: one suite over the four targets of the behaviour matrix. */
afterAll(() => closeTargets());

describeMatrix("test control", (ctx) => testControlBehaviour(ctx));
