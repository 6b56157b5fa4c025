/**
 * Computed properties: a JSONata expression per property, compiled once per entry and evaluated per row
 * against an object keyed by column name. Mapped columns appear as their converted values in JS-native form
 * (js-values.ts), json/jsonb columns as parsed JSON, other columns as the text Postgres printed, NULL columns
 * absent (JSONata's "no value"); the result becomes a graph value by the property's `as` rule, or inferred.
 */
import jsonata from 'jsonata';
import { Pg2GraphError } from '../core/errors';
import type { ComputedProperty } from '../plan/types';
import { isValueRule } from '../values/rules';
import { fromJs } from './js-values';

export interface CompiledComputed {
  name: string;
  evaluate(input: Record<string, unknown>): Promise<unknown>;
}

export function compileComputed(entry: string, computed: ComputedProperty[]): CompiledComputed[] {
  return computed.map((property, i) => {
    const path = `computed[${i}]`;
    if (!property || typeof property.name !== 'string' || !property.name) {
      throw new Pg2GraphError('SHAPE_EXPRESSION_INVALID', `entry "${entry}", ${path}: a computed property needs a name`, { entry, path });
    }
    if (property.as !== undefined && (!isValueRule(property.as) || property.as === 'flatten')) {
      throw new Pg2GraphError('SHAPE_EXPRESSION_INVALID', `entry "${entry}", ${path} ("${property.name}"): unknown value rule "${String(property.as)}"`, {
        entry,
        path,
      });
    }
    let expression: jsonata.Expression;
    try {
      expression = jsonata(String(property.expression ?? ''));
    } catch (error) {
      const e = error as { message?: string; position?: number };
      throw new Pg2GraphError(
        'SHAPE_EXPRESSION_INVALID',
        `entry "${entry}", ${path} ("${property.name}"): the JSONata expression does not compile${e.position !== undefined ? ` (at character ${e.position})` : ''}: ${e.message}`,
        { entry, path, property: property.name },
      );
    }
    return {
      name: property.name,
      async evaluate(input: Record<string, unknown>): Promise<unknown> {
        return fromJs(await expression.evaluate(input), property.as);
      },
    };
  });
}
