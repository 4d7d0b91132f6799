/** Units for byte axes. */

/** A unit for a byte axis whose largest value is `maxBytes`: `{ divisor, name }` (bytes, KB, MB, GB; powers of 1000). */
export function byteUnit(maxBytes: number): { readonly divisor: number; readonly name: string } {
  const units = [
    { divisor: 1e9, name: "GB" },
    { divisor: 1e6, name: "MB" },
    { divisor: 1e3, name: "KB" },
  ];
  return units.find((unit) => maxBytes >= unit.divisor) ?? { divisor: 1, name: "bytes" };
}
