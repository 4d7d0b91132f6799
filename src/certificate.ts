/**
 * Certificates of optimality in words (for results, the CLI table and `--json`'s `optimalOver`).
 * @see ./optimality.ts for what each kind proves
 */
import { formatBytes } from "./budget.js";
import { type Certificate, SCHEDULE_CLASS_WORDS } from "./optimality.js";

function formatValue(objective: "time" | "memory", value: number): string {
  return objective === "time" ? `${value} ms` : `${value} bytes`;
}

/** What `certificate` proves, in one sentence: the class, then the method. */
export function describeCertificate(certificate: Certificate): string {
  const over = SCHEDULE_CLASS_WORDS[certificate.over];
  switch (certificate.kind) {
    case "meets-bound":
      return `${over}: its ${certificate.objective === "time" ? "makespan" : "peak"} equals the lower bound ${formatValue(certificate.objective, certificate.value)} (${certificate.bound})`;
    case "dynamic-program": {
      const units =
        certificate.unitBytes === 1
          ? "sizes exact in bytes"
          : `sizes rounded up to units of ${formatUnit(certificate.unitBytes)}`;
      const budget =
        certificate.budgetUnits === null ? "" : `, the activation budget as ${certificate.budgetUnits} units`;
      return `${over}, ${units}${budget} (${certificate.method})`;
    }
    case "enumeration":
      return `${over}: all ${certificate.count} ${certificate.of} enumerated and evaluated`;
    case "decomposition":
      return `${over}: exact ${certificate.method} (${certificate.parts} parts measured)`;
    case "milp":
      return `${over}: its makespan meets the bound ${certificate.bound} ms that ${certificate.backend} proved for ${certificate.method} (gap ${certificate.gap})`;
  }
}

/** A unit of bytes that may be fractional (chain-dp's A/S). */
function formatUnit(bytes: number): string {
  return Number.isInteger(bytes) ? formatBytes(bytes) : `${bytes.toPrecision(6)} bytes`;
}

const SHORT_KIND: Readonly<Record<Certificate["kind"], string>> = {
  "meets-bound": "meets bound",
  "dynamic-program": "exact DP",
  enumeration: "enumeration",
  decomposition: "decomposition",
  milp: "MILP",
};

const SHORT_CLASS: Readonly<Record<Certificate["over"], string>> = {
  all: "all",
  checkpoint: "checkpoint",
  "persistent-chain": "persistent",
  "stored-chain": "stored chain",
  offload: "offload",
  "offload-chain": "offload chain",
  "stage-grid": "stage grid",
  "grid-offload": "grid offload",
};

/** A status cell for tables: `feasible`, or `optimal (exact DP, persistent)` with the certificate in brief. */
export function statusWithCertificate(status: string, certificate: Certificate | null | undefined): string {
  if (status !== "optimal" || certificate === null || certificate === undefined) return status;
  return `optimal (${SHORT_KIND[certificate.kind]}, ${SHORT_CLASS[certificate.over]})`;
}
