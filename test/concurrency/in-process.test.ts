import { startReference } from "../helpers/reference.js";
import { describeConcurrency } from "./suite.js";

describeConcurrency("the in-process server on a SQLite file", () => startReference());
