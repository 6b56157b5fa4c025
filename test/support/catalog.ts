/** The pack's en-US message catalogs, read as Node-RED's RED._ reads them (no Node-RED loaded). */
import assert from 'assert/strict';
import fs from 'fs';
import path from 'path';

const LOCALES = path.resolve(__dirname, '..', '..', 'nodes', 'locales', 'en-US');

function catalog(type: string): Record<string, unknown> {
  return (JSON.parse(fs.readFileSync(path.join(LOCALES, `${type}.json`), 'utf8')) as Record<string, Record<string, unknown>>)[type];
}

/** The text of `key` in the catalog of `type`; fails when it is not a message there. */
export function lookup(type: string, key: string): string {
  const text = key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], catalog(type));
  assert.equal(typeof text, 'string', `${type}.${key} is a message of the ${type} catalog`);
  return text as string;
}

/** RED._ for one node type: the catalog text with its __name__ placeholders filled; a missing value fails. */
export function translator(type: string) {
  return (key: string, values: Record<string, unknown> = {}): string =>
    lookup(type, key).replace(/__([A-Za-z]+)__/g, (_, name: string) => {
      assert.ok(name in values, `${type}.${key}: a value for __${name}__`);
      return String(values[name]);
    });
}

/**
 * A node module whose RED._ answers from the real catalog of its type (the test helper's RED._ returns the key
 * alone), so a test can read the texts a user sees, values filled in.
 */
export function withCatalog(type: string, module: unknown): unknown {
  const t = translator(type);
  return (red: { _: (key: string, values?: Record<string, unknown>) => string }) => {
    const helperLookup = red._;
    red._ = (key, values) => (key.startsWith(`${type}.`) ? t(key.slice(type.length + 1), values) : helperLookup(key, values));
    return (module as (red: unknown) => unknown)(red);
  };
}
