/**
 * A database of values no default rule can hold (README, Value rules: probing), one column per kind, for the
 * probe, the preflight, plan --check and verification. Rows 1 and 5 of traps hold only values every rule can hold.
 */
import { createScratchDatabase, type ScratchDatabase } from './databases';

export const TRAPS_SQL = `
  CREATE TABLE traps (
    id int PRIMARY KEY,
    tags text[],      -- {a,NULL}, {NULL}: nullElements "error"
    grid int4[],      -- {{1,2},{3,4}}: multiDimensional "error" ([0:1]={5,6} is one-dimensional)
    opens time,       -- 24:00
    opens_tz timetz,  -- 24:00+02
    slots time[],     -- {24:00}: an element
    due date,         -- ±infinity: only under infinity "error"
    stamps date[],    -- {infinity}: an infinite element in a typed list
    amount numeric,   -- 1.5, NaN, 2^66: only under "integer"
    note text
  );
  INSERT INTO traps VALUES
    (1, '{a,b}', '{1,2}', '10:00', '10:00+02', '{10:00}', '2020-01-01', '{2020-01-01}', 42, 'fine'),
    (2, '{a,NULL}', '{{1,2},{3,4}}', '24:00', '24:00+02', '{24:00}', 'infinity', '{infinity}', 1.5, 'every kind'),
    (3, '{NULL}', '[0:1]={5,6}', NULL, NULL, NULL, '-infinity', '{-infinity,2020-01-02}', 'NaN', 'more'),
    (4, '{"NULL"}', NULL, NULL, NULL, NULL, NULL, NULL, 73786976294838206464, 'beyond 64 bits'),
    (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 12.000, 'whole');
  CREATE TABLE codes (code numeric PRIMARY KEY, label text);
  INSERT INTO codes VALUES (1, 'one'), (2.5, 'two and a half');
  CREATE TABLE uses (id int PRIMARY KEY, code numeric REFERENCES codes);
  INSERT INTO uses VALUES (1, 1), (2, 2.5), (3, NULL);
  CREATE TABLE loose (tags text[]);
  INSERT INTO loose VALUES ('{x,NULL}'), ('{y}');
  CREATE TABLE plain (id int PRIMARY KEY, name text);
  INSERT INTO plain VALUES (1, 'no candidate column');
  CREATE VIEW slow_traps AS SELECT t.id, t.tags FROM traps t WHERE pg_catalog.pg_sleep(0.3)::text = '';
`;

/** Rows per table (the view is read only when named). */
export const TRAP_ROWS = { traps: 5, codes: 2, uses: 3, loose: 2, plain: 1 };

export async function trapsDatabase(prefix: string): Promise<ScratchDatabase> {
  const db = await createScratchDatabase(prefix);
  await db.query(TRAPS_SQL);
  return db;
}
