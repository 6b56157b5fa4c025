// @ts-check
'use strict';
/** Loads the project's sample database (sample/bookshop.sql, schema "bookshop") into a Postgres database. */
const fs = require('fs');
const path = require('path');
const pg = require('pg');

const SAMPLE_SQL = path.resolve(__dirname, '..', '..', 'sample', 'bookshop.sql');
const SAMPLE_SCHEMA = 'bookshop';

/**
 * Creates (or recreates) the bookshop schema with its deterministic rows.
 * @param {string} connectionString
 */
async function loadSample(connectionString) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    client.on('notice', () => {});
    await client.query(fs.readFileSync(SAMPLE_SQL, 'utf8'));
  } finally {
    await client.end();
  }
}

module.exports = { loadSample, SAMPLE_SQL, SAMPLE_SCHEMA };
