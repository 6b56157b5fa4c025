/**
 * Equality of graph values under the value rules: what shaping says a property must be (expected) against what
 * the driver reads back from the graph (found). Exact: an Integer is not a Float, "12.30" is not 12.3, NaN
 * equals NaN, -0 is not 0, temporals compare every field including nanoseconds and offset.
 */
import { bytesOf, integerText, kindOf } from '../values/graph-kind';

/** Whether the graph holds exactly the expected value (an expected null means "property absent"). */
export function sameGraphValue(expected: unknown, found: unknown): boolean {
  const kind = kindOf(expected);
  if (kind !== kindOf(found)) return false;
  switch (kind) {
    case 'Absent':
      return true;
    case 'Integer':
      return integerText(expected) === integerText(found);
    case 'Float':
      return Object.is(expected, found);
    case 'String':
    case 'Boolean':
      return expected === found;
    case 'Bytes': {
      const a = bytesOf(expected as ArrayBufferView);
      const b = bytesOf(found as ArrayBufferView);
      return a.length === b.length && a.every((byte, i) => byte === b[i]);
    }
    case 'List': {
      const a = expected as unknown[];
      const b = found as unknown[];
      return a.length === b.length && a.every((item, i) => sameGraphValue(item, b[i]));
    }
    case 'Point': {
      const a = expected as { srid: unknown; x: number; y: number; z?: number };
      const b = found as { srid: unknown; x: number; y: number; z?: number };
      return integerText(a.srid) === integerText(b.srid) && Object.is(a.x, b.x) && Object.is(a.y, b.y) && Object.is(a.z, b.z);
    }
    case 'Map':
      return JSON.stringify(expected) === JSON.stringify(found);
    default:
      // temporal types: their ISO text carries every field (nanoseconds, offset, zone id)
      return String(expected) === String(found);
  }
}
