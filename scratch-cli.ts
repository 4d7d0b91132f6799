import { cli } from "./test/cli/run.js";
const r = await cli(...process.argv.slice(2));
console.log(r.code, r.out, r.err);
