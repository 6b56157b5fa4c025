/**
 * Graph values as text for people, in two styles, both by the value's kind (graph-kind.ts):
 * - describeGraphValue: exact and with the kind ("Float 12.3", "String \"12.30\""), for verify's reports and
 *   record identities (equal texts exactly when the values are equal);
 * - describeValue / describeKey / keyTexts: short, for error messages and acknowledgements (long texts cut,
 *   lists and bytes summed up; never whole rows).
 */
import { bytesOf, integerText, kindOf } from './graph-kind';
import { preview } from './value-error';

const MAX_TEXT = 60;
const MAX_ITEMS = 5;

/** "Float 12.3", "String \"12.30\"", "Integer 42", "absent": for mismatch examples. */
export function describeGraphValue(value: unknown): string {
  const kind = kindOf(value);
  switch (kind) {
    case 'Absent':
      return 'absent';
    case 'String':
      return `String ${JSON.stringify(value)}`;
    case 'Float':
      return `Float ${Object.is(value, -0) ? '-0.0' : String(value)}`;
    case 'Bytes':
      return `Bytes 0x${Buffer.from(bytesOf(value as ArrayBufferView)).toString('hex')}`;
    case 'List':
      return `List [${(value as unknown[]).map(describeGraphValue).join(', ')}]`;
    case 'Map':
      return `Map ${JSON.stringify(value)}`;
    case 'Integer':
      return `Integer ${integerText(value)}`;
    default:
      return `${kind} ${String(value)}`;
  }
}

/** 42, "DE", <16 bytes>, [1, 2, 3, 4, 5, …], 2024-01-02, null, a map: one value in an error message. */
export function describeValue(value: unknown): string {
  switch (kindOf(value)) {
    case 'Absent':
      return 'null';
    case 'String':
      return preview(value as string, MAX_TEXT);
    case 'Integer':
      return integerText(value);
    case 'Float':
    case 'Boolean':
      return String(value);
    case 'Bytes':
      return `<${(value as ArrayBufferView).byteLength} bytes>`;
    case 'List': {
      const list = value as unknown[];
      return `[${list.slice(0, MAX_ITEMS).map(describeValue).join(', ')}${list.length > MAX_ITEMS ? ', …' : ''}]`;
    }
    case 'Map': {
      // an object with its own text (a JS Date, a class) shows it; a plain object does not
      const object = value as { toString(): string };
      return typeof value === 'object' && object.toString !== Object.prototype.toString ? object.toString() : 'a map';
    }
    default:
      // temporal values and points: their ISO / Cypher text
      return String(value);
  }
}

/** "[42]" or "[\"DE\", 7]" */
export function describeKey(values: readonly unknown[]): string {
  return `[${values.map(describeValue).join(', ')}]`;
}

/** Key values as plain text (what reports and acknowledgements carry). */
export function keyTexts(values: readonly unknown[]): string[] {
  return values.map((value) => (typeof value === 'string' ? value : describeValue(value)));
}
