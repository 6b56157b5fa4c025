// @ts-check
'use strict';
/**
 * Benchmark workloads, each created in its own Postgres database:
 *   pgbench-1 / pgbench-10  `pgbench -i --foreign-keys -s N` (the real pgbench when on PATH; otherwise the same
 *                           tables, keys, foreign keys and row counts built in SQL, as pgbench's init does)
 *   sample                  the project's bookshop sample database
 *   wide                    one table of 30 mixed-type columns, 200,000 rows
 */
const { execFileSync, spawnSync } = require('child_process');
const pg = require('pg');
const { loadSample } = require('../lib/sample-db');

/** Every workload createWorkload knows. */
const WORKLOADS = ['pgbench-1', 'pgbench-10', 'sample', 'wide', 'pgbench-smoke', 'wide-smoke'];

/** @param {string} url @param {string} sql */
async function run(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    client.on('notice', () => {});
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function pgbenchBinary() {
  const found = spawnSync('pgbench', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? 'pgbench' : undefined;
}

/** The tables of `pgbench -i --foreign-keys -s scale`, built in SQL (used when pgbench is not installed). */
function pgbenchSql(scale) {
  return `
    DROP TABLE IF EXISTS pgbench_history, pgbench_accounts, pgbench_tellers, pgbench_branches;
    CREATE TABLE pgbench_branches (bid int NOT NULL, bbalance int, filler char(88)) WITH (fillfactor = 100);
    CREATE TABLE pgbench_tellers (tid int NOT NULL, bid int, tbalance int, filler char(84)) WITH (fillfactor = 100);
    CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84)) WITH (fillfactor = 100);
    CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
    INSERT INTO pgbench_branches (bid, bbalance) SELECT b, 0 FROM generate_series(1, ${scale}) AS b;
    INSERT INTO pgbench_tellers (tid, bid, tbalance) SELECT t, (t - 1) / 10 + 1, 0 FROM generate_series(1, ${10 * scale}) AS t;
    INSERT INTO pgbench_accounts (aid, bid, abalance, filler) SELECT a, (a - 1) / 100000 + 1, 0, '' FROM generate_series(1, ${100000 * scale}) AS a;
    ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid);
    ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid);
    ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid);
    ALTER TABLE pgbench_tellers ADD FOREIGN KEY (bid) REFERENCES pgbench_branches;
    ALTER TABLE pgbench_accounts ADD FOREIGN KEY (bid) REFERENCES pgbench_branches;
    ALTER TABLE pgbench_history ADD FOREIGN KEY (bid) REFERENCES pgbench_branches;
    ALTER TABLE pgbench_history ADD FOREIGN KEY (tid) REFERENCES pgbench_tellers;
    ALTER TABLE pgbench_history ADD FOREIGN KEY (aid) REFERENCES pgbench_accounts;
    ANALYZE;`;
}

/** @param {string} url @param {number} scale */
async function createPgbench(url, scale) {
  const binary = pgbenchBinary();
  if (binary) {
    execFileSync(binary, ['-i', '--foreign-keys', '-q', '-s', String(scale), url], { stdio: ['ignore', 'ignore', 'pipe'] });
    return 'pgbench -i --foreign-keys';
  }
  await run(url, pgbenchSql(scale));
  return 'SQL equivalent of pgbench -i --foreign-keys (pgbench not on PATH)';
}

const WIDE_SQL = (rows) => `
  DROP TABLE IF EXISTS wide;
  DROP TYPE IF EXISTS wide_state;
  CREATE TYPE wide_state AS ENUM ('new', 'active', 'suspended', 'closed');
  CREATE TABLE wide (
    id bigint PRIMARY KEY,
    small_int int2, plain_int int4, big_int int8,
    price numeric(12,2), ratio numeric, score real, weight double precision,
    name text, code varchar(16), flag char(4), active boolean,
    born date, created timestamp, changed timestamptz, opens time, closes timetz, lasts interval,
    ref uuid, address inet, state wide_state,
    doc jsonb, tags text[], counts int4[], blob bytea,
    balance money, mac macaddr, note text, extra_int int4, extra_text text
  );
  INSERT INTO wide
  SELECT i,
         (i % 32000)::int2, i * 7, i::int8 * 1000003,
         ((i * 379) % 1000000) / 100.0, i / 7.0, (i % 1000) / 8.0, i * 0.001,
         'name ' || i, 'C' || (i % 99999), CASE WHEN i % 2 = 0 THEN 'ab' ELSE 'xyz' END, i % 3 = 0,
         date '1970-01-01' + (i % 20000), timestamp '2000-01-01' + i * interval '1 second 3 microseconds',
         timestamptz '2020-01-01 00:00:00+00' + i * interval '17 seconds 1 microsecond',
         time '08:00' + (i % 3600) * interval '1 second', timetz '09:30:00+02' + (i % 600) * interval '1 second',
         make_interval(months => i % 13, days => i % 31, secs => (i % 3600) + 0.5),
         md5(i::text)::uuid, ('10.' || (i % 250) || '.' || (i % 200) || '.1')::inet,
         (ARRAY['new','active','suspended','closed'])[1 + i % 4]::wide_state,
         jsonb_build_object('i', i, 'even', i % 2 = 0), ARRAY['t' || (i % 5), 'u' || (i % 7)], ARRAY[i % 10, i % 100],
         decode(lpad(to_hex(i), 8, '0'), 'hex'),
         ((i % 100000) / 100.0)::numeric::money, ('08:00:2b:01:02:' || lpad(to_hex(i % 256), 2, '0'))::macaddr,
         CASE WHEN i % 10 = 0 THEN NULL ELSE 'note ' || i END, i % 1000, 'x' || (i % 1000)
  FROM generate_series(1, ${rows}) AS i;
  ANALYZE wide;`;

/**
 * Creates one workload in the database at url.
 * @param {string} name  pgbench-1 | pgbench-10 | sample | wide | (smoke variants: pgbench-smoke, wide-smoke)
 * @param {string} url
 * @returns {Promise<{ source: string, schemas: string[] }>}
 */
async function createWorkload(name, url) {
  switch (name) {
    case 'pgbench-1':
      return { source: await createPgbench(url, 1), schemas: ['public'] };
    case 'pgbench-10':
      return { source: await createPgbench(url, 10), schemas: ['public'] };
    case 'pgbench-smoke': {
      await run(url, pgbenchSql(1).replace('generate_series(1, 100000)', 'generate_series(1, 5000)'));
      return { source: 'pgbench tables, 5,000 accounts (smoke)', schemas: ['public'] };
    }
    case 'sample':
      await loadSample(url);
      return { source: 'sample/bookshop.sql', schemas: ['bookshop'] };
    case 'wide':
      await run(url, WIDE_SQL(200000));
      return { source: 'wide table, 30 columns, 200,000 rows', schemas: ['public'] };
    case 'wide-smoke':
      await run(url, WIDE_SQL(2000));
      return { source: 'wide table, 30 columns, 2,000 rows (smoke)', schemas: ['public'] };
    default:
      throw new Error(`unknown workload ${name}`);
  }
}

module.exports = { createWorkload, pgbenchSql, WORKLOADS };
