/**
 * A HID field for tests: a variable Feature field of report 1, 8 bits at
 * offset 0, logical 0..255, no unit, with `props` on top.
 *
 * @module
 */

import type { HidField } from "../../src/hid/types.ts";

/** A variable Feature field of report 1 with the given properties. */
export function testField(props: Partial<HidField>): HidField {
  return {
    path: "Test",
    usage: 0x00840030,
    collectionUsages: [],
    reportType: "Feature",
    reportId: 1,
    offset: 0,
    size: 8,
    count: 1,
    isArray: false,
    isConstant: false,
    flags: 0x02,
    logicalMinimum: 0,
    logicalMaximum: 255,
    unit: 0,
    unitExponent: 0,
    usages: [],
    ...props,
  };
}
