export { MAX_SPINE_ENTRIES, pofo, pofoCertificate, solvePofo } from "./solver.js";
