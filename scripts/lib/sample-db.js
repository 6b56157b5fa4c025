// @ts-check
'use strict';
/** Databases of the scripts' own: recreated by name, and loaded with the project's sample (sample/bookshop.sql, schema "bookshop"). */
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

/**
 * Drops (with its connections) and creates the database `name` on the server of `adminUrl`.
 * @param {string} adminUrl
 * @param {string} name
 * @returns {Promise<string>} the new database's connection string
 */
async function recreateDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Drops the database `name` (with its connections) on the server of `adminUrl`, if it is there.
 * @param {string} adminUrl
 * @param {string} name
 */
async function dropDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

module.exports = { loadSample, recreateDatabase, dropDatabase, SAMPLE_SQL, SAMPLE_SCHEMA };
