/** Compiled shapers per entry and column layout, so a run compiles each entry once (bounded, oldest dropped). */
const MAX_ENTRIES = 64;
const shapers = new Map<string, unknown>();

export function cached<T>(kind: string, entry: unknown, columns: string[], compile: () => T): T {
  const key = `${kind}\u0000${JSON.stringify(entry)}\u0000${columns.join('\u0000')}`;
  let shaper = shapers.get(key) as T | undefined;
  if (shaper === undefined) {
    shaper = compile();
    if (shapers.size >= MAX_ENTRIES) shapers.delete(shapers.keys().next().value as string);
    shapers.set(key, shaper);
  }
  return shaper;
}
