/**
 * Zoo model configurations: flat records of positive integers (batch, input size, classes, ...), each
 * key with a default. Reading a configuration rejects unknown keys and bad values, never coerces.
 */
import { describeValue, InputError, type InputIssue } from "../errors.js";

/** A model configuration: every value a positive integer. */
export type ZooConfig = Readonly<Record<string, number>>;

/**
 * Fills `given` with `defaults` and checks it.
 *
 * @param site the caller, named in the error (`zoo resnet-50`)
 * @throws InputError (code `option`, path the key) for an unknown key or a value that is not a
 *   positive integer, or one that `check` rejects (it returns what was expected, or undefined when fine)
 */
export function readConfig<C extends ZooConfig>(
  site: string,
  defaults: C,
  given: Readonly<Record<string, unknown>>,
  check: (config: C) => InputIssue | undefined = () => undefined,
): C {
  const issues: InputIssue[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (!(key in defaults))
      issues.push({
        code: "option",
        path: key,
        expected: `one of ${Object.keys(defaults).join(", ")}`,
        received: `unknown key "${key}"`,
      });
    else if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
      issues.push({
        code: "option",
        path: key,
        expected: "a positive integer",
        received: describeValue(value),
      });
  }
  if (issues.length > 0) throw new InputError(site, issues);
  const config = { ...defaults, ...given } as C;
  const issue = check(config);
  if (issue !== undefined) throw new InputError(site, [issue]);
  return config;
}
