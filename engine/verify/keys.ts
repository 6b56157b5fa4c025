/**
 * Identities of graph records for verification: a canonical text that is equal exactly when every value is
 * (kinds included: Integer 5 is not Float 5.0), and the JSON-safe form shown in report examples.
 */
import neo4j from 'neo4j-driver';
import { kindOf } from '../values/graph-kind';
import { describeGraphValue } from '../values/graph-text';
import type { KeyValues } from './report';

/** Equal texts for equal value lists under the value rules (the kind is part of each value's text). */
export function identityText(values: readonly unknown[]): string {
  return JSON.stringify(values.map(describeGraphValue));
}

function plainValue(value: unknown): string | number | boolean {
  switch (kindOf(value)) {
    case 'Integer': {
      const integer = typeof value === 'bigint' ? neo4j.int(value.toString()) : neo4j.int(value as never);
      return integer.inSafeRange() ? integer.toNumber() : integer.toString();
    }
    case 'String':
    case 'Boolean':
      return value as string | boolean;
    default:
      return describeGraphValue(value);
  }
}

/** { name: value } for report examples. */
export function keyValues(names: readonly string[], values: readonly unknown[]): KeyValues {
  const out: KeyValues = {};
  names.forEach((name, i) => {
    out[name] = plainValue(values[i]);
  });
  return out;
}
