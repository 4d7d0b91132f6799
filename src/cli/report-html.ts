import type { Report } from "../report/model.js";
import type { ResultRecords } from "../report/records.js";

export async function htmlReport(report: Report, _log: ResultRecords): Promise<string> {
  return JSON.stringify(report.solvers);
}
