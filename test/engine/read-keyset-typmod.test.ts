/**
 * Found while verifying the sample's stock join table in small batches: keyset pages over a char(n) key must
 * cast the last key to char(n), not to a bare "character" (char(1)), or the reader pages the same rows forever.
 */
import assert from 'assert/strict';
import { createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { ReadSnapshot } from '../../dist/engine/read/snapshot';
import { prepareRead } from '../../dist/engine/read/prepare';
import { readEntry } from '../../dist/engine/read/read-entry';
import type { NodeEntry } from '../../dist/engine/plan/types';

describe('keyset reading over char(n) and other typmod keys', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let connection: PostgresConnection;

  before(async () => {
    db = await createScratchDatabase('keyset');
    await db.query(`CREATE TABLE site (region char(2), code bit(3), amount numeric(6,2), n int, PRIMARY KEY (region, code, amount));
      INSERT INTO site SELECT r, c::bit(3), a, row_number() OVER () FROM unnest(ARRAY['EU','US','AP']) r, unnest(ARRAY[1,5,7]) c, unnest(ARRAY[1.50, 2.25]) a`);
    connection = new PostgresConnection(db.settings);
  });
  after(async () => {
    await connection.close();
    await db.drop();
  });

  it('reads every row exactly once, two at a time', async () => {
    const entry: NodeEntry = {
      id: 'public.site',
      table: { schema: 'public', name: 'site' },
      label: 'Site',
      key: ['region', 'code', 'amount'],
      keySource: 'primaryKey',
      warnings: [],
      properties: [
        { column: 'region', name: 'region', pgType: 'bpchar(2)', as: 'string' },
        { column: 'code', name: 'code', pgType: 'bit(3)', as: 'string' },
        { column: 'amount', name: 'amount', pgType: 'numeric(6,2)', as: 'string' },
      ],
    };
    const snapshot = await ReadSnapshot.open(connection);
    try {
      const prepared = await prepareRead(snapshot, entry, 'nodes');
      assert.equal(prepared.mode, 'keyset');
      assert.deepEqual(prepared.keyCasts, ['character(2)', 'bit(3)', 'numeric(6,2)']);
      const keys: string[] = [];
      for await (const batch of readEntry(snapshot, prepared, { run: 'r', batchSize: 2 })) {
        for (const row of batch.rows) keys.push(row.slice(0, 3).join('/'));
        assert.ok(keys.length <= 18, 'no page read twice');
      }
      assert.equal(keys.length, 18);
      assert.equal(new Set(keys).size, 18);
    } finally {
      await snapshot.close();
    }
  });
});
