/**
 * A source whose relationship rows find no end node in a real PostgreSQL: notes 8..10 point at items that do not
 * exist, under a foreign key added NOT VALID (it checks new rows only). For the tests of missing ends.
 */
export const ORPHAN_NOTES = `
  CREATE TABLE items (id int4 PRIMARY KEY, name text);
  INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 7) g;
  CREATE TABLE notes (id int4 PRIMARY KEY, item int4, body text);
  INSERT INTO notes SELECT g, g, 'note ' || g FROM generate_series(1, 10) g;
  ALTER TABLE notes ADD CONSTRAINT notes_item_fkey FOREIGN KEY (item) REFERENCES items NOT VALID;
`;

/** Removes the orphan notes: a source without missing ends. */
export const WITHOUT_ORPHANS = 'DELETE FROM notes WHERE id > 7';

/** The orphan notes back, under the same unchecked constraint (which would refuse them as new rows). */
export const ORPHANS_BACK = `
  ALTER TABLE notes DROP CONSTRAINT notes_item_fkey;
  INSERT INTO notes SELECT g, g, 'note ' || g FROM generate_series(8, 10) g;
  ALTER TABLE notes ADD CONSTRAINT notes_item_fkey FOREIGN KEY (item) REFERENCES items NOT VALID;
`;
