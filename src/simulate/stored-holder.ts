/**
 * The stored forms a simulator run holds (`s:v` by node), with a record of every conversion: what the
 * interpreter's `C v MODE`, `X v` and `D s:v` do to them (the data routines are in stored-forms.ts).
 * Each method is O(1) but `convert` and `expand`, O(elements), and `bytes`, O(forms held).
 */
import { InternalError } from "../errors.js";
import type { StorageMode } from "../instance/types.js";
import {
  convertTo,
  type ElementArray,
  expand,
  type StoredForm,
  storedFormBytes,
  storedNonzeros,
} from "./stored-forms.js";

/** What one `C v MODE` made, measured. */
export interface ConversionRecord {
  /** The instruction's index in the schedule. */
  readonly index: number;
  readonly node: string;
  readonly mode: StorageMode;
  readonly elements: number;
  /** Elements stored as values: the non-zero ones for `bitmap`, all of them for the 16-bit modes. */
  readonly nonzeros: number;
  /** Bytes of the typed arrays of the stored form. */
  readonly bytes: number;
}

/** The stored forms of one run. */
export class StoredForms {
  private readonly forms = new Map<string, StoredForm>();
  /** One record per conversion, in schedule order. */
  readonly conversions: ConversionRecord[] = [];

  /** `C v MODE` at schedule index `index` on the data of `a:v`; returns the conversion's wall time, ms. */
  convert(node: string, mode: StorageMode, data: ElementArray, index: number): number {
    const started = performance.now();
    const form = convertTo(mode, data);
    const ms = performance.now() - started;
    this.forms.set(node, form);
    this.conversions.push({
      index,
      node,
      mode,
      elements: form.elements,
      nonzeros: storedNonzeros(form),
      bytes: storedFormBytes(form),
    });
    return ms;
  }

  /** `X v`: the data of `a:v` again, and its dtype. @throws InternalError when `s:v` is not held */
  expand(node: string): { readonly data: ElementArray; readonly dtype: StoredForm["dtype"] } {
    const form = this.forms.get(node);
    if (form === undefined) throw new InternalError(`simulate: no stored form of a:${node}`);
    return { data: expand(form), dtype: form.dtype };
  }

  /** `D s:v`. */
  free(node: string): void {
    this.forms.delete(node);
  }

  /** Bytes of every form held: the byte lengths of their typed arrays. */
  bytes(): number {
    let bytes = 0;
    for (const form of this.forms.values()) bytes += storedFormBytes(form);
    return bytes;
  }
}
