/**
 * The zoo's full-size networks have the parameter counts of their reference implementations
 * (torchvision, Hugging Face), exactly, and those of their papers within the papers' rounding.
 */
import { describe, expect, it } from "vitest";
import { parameterCount } from "../../src/zoo/document.js";
import { zooModel } from "../../src/zoo/registry.js";

/** Exact counts of torchvision's models (and Hugging Face's `gpt2`), from their published model cards. */
const EXACT: Record<string, number> = {
  "resnet-18": 11_689_512,
  "resnet-50": 25_557_032,
  "vgg-16": 138_357_544,
  "mobilenet-v2": 3_504_872,
  "densenet-121": 7_978_856,
  // torchvision's 27,161,264 minus the auxiliary classifier (3,326,696: 1x1 conv 768->128 + BN,
  // 5x5 conv 128->768 + BN, fc 768->1000), which the zoo leaves out.
  "inception-v3": 23_834_568,
  "gpt2-small": 124_439_808,
  // WRN-28-2 as the authors' code builds it (no conv bias, BN affine, fc with bias)
  "wide-resnet": 1_467_610,
};

/** Figures as the papers and model cards round them (millions), with the rounding as tolerance. */
const ROUNDED_MILLIONS: Record<string, number> = {
  "resnet-50": 25.6,
  "vgg-16": 138,
  "mobilenet-v2": 3.5,
  "densenet-121": 8.0,
  "gpt2-small": 124,
};

describe("zoo parameter counts", () => {
  for (const [name, count] of Object.entries(EXACT)) {
    it(`${name} has exactly ${count.toLocaleString("en-US")} parameters at its default config`, () => {
      expect(parameterCount(zooModel(name).build())).toBe(count);
    });
  }

  for (const [name, millions] of Object.entries(ROUNDED_MILLIONS)) {
    it(`${name} has ${millions} M parameters to within 0.05 M (or 0.5 M for whole millions)`, () => {
      const tolerance = Number.isInteger(millions) && millions > 10 ? 0.5 : 0.05;
      expect(Math.abs(parameterCount(zooModel(name).build()) / 1e6 - millions)).toBeLessThanOrEqual(
        tolerance,
      );
    });
  }

  it("U-Net has the parameters of its layer table, summed by hand", () => {
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
    const level = (cin: number, c: number) => conv(3, cin, c) + conv(3, c, c);
    const expected =
      level(1, 64) +
      level(64, 128) +
      level(128, 256) +
      level(256, 512) +
      level(512, 1024) +
      [512, 256, 128, 64].reduce((sum, c) => sum + conv(2, 2 * c, c) + level(2 * c, c), 0) +
      conv(1, 64, 2);
    expect(parameterCount(zooModel("unet").build())).toBe(expected);
  });

  it("WRN-28-2 has the parameters of its layer table, summed by hand", () => {
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout;
    const bn = (c: number) => 2 * c;
    const block = (cin: number, c: number) =>
      bn(cin) + conv(3, cin, c) + bn(c) + conv(3, c, c) + (cin === c ? 0 : conv(1, cin, c));
    const group = (cin: number, c: number) => block(cin, c) + 3 * block(c, c);
    const expected =
      conv(3, 3, 16) + group(16, 32) + group(32, 64) + group(64, 128) + bn(128) + 128 * 10 + 10;
    expect(parameterCount(zooModel("wide-resnet").build())).toBe(expected);
  });

  it("refuses a wide ResNet depth that is not 6n + 4 (code option, path depth)", () => {
    expect(() => zooModel("wide-resnet").build({ depth: 27 })).toThrow(/depth/);
  });

  it("parameter counts do not depend on the batch size", () => {
    const model = zooModel("resnet-18");
    expect(parameterCount(model.build({ batch: 1 }))).toBe(parameterCount(model.build({ batch: 64 })));
  });
});
