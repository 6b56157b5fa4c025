/**
 * The node helpers' error messages come from the en-US catalogs: with a lookup that reads the real catalog (as
 * Node-RED's RED._ does), each names the setting or field at fault; every key they use is in its catalog.
 */
import assert from 'assert/strict';
import fs from 'fs';
import path from 'path';
import { Pg2GraphError } from '../../dist/engine/core';
import { schemaSettings } from '../../dist/nodes/lib/schema-settings';
import { writeSettings } from '../../dist/nodes/write/write-settings';
import { exportSettings } from '../../dist/nodes/export/export-settings';
import { EXPORT_FORMATS } from '../../dist/engine/write';
import { lookup, translator } from '../support/catalog';

function failure(run: () => unknown): Pg2GraphError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof Pg2GraphError, `a Pg2GraphError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

describe('node messages from the catalogs', () => {
  it('graph write settings: an integer out of range and an unknown mode', () => {
    const t = translator('pg2graph-write');
    const concurrency = failure(() => writeSettings({ concurrency: 0 }, t));
    assert.equal(concurrency.code, 'WRITE_SETTING_INVALID');
    assert.equal(concurrency.message, 'pg2graph-write setting "concurrency" must be an integer of at least 1, got 0');
    assert.deepEqual(concurrency.details, { setting: 'concurrency', value: 0 });
    const retries = failure(() => writeSettings({ maxRetries: '-1' }, t));
    assert.equal(retries.message, 'pg2graph-write setting "maxRetries" must be an integer of at least 0, got "-1"');
    const mode = failure(() => writeSettings({ mode: 'upsert' }, t));
    assert.equal(mode.code, 'WRITE_SETTING_INVALID');
    assert.equal(mode.message, 'pg2graph-write setting "mode" must be merge or create, got "upsert"');
    assert.deepEqual(writeSettings({}, t), { mode: 'merge', concurrency: 4, maxRetries: 5, batchTimeoutMs: 60_000 });
  });

  it('graph write settings: a batch timeout that is not an integer from 1 to 86,400,000 ms', () => {
    const t = translator('pg2graph-write');
    for (const [value, shown] of [
      [0, '0'],
      ['-5', '"-5"'],
      ['2.5', '"2.5"'],
      ['soon', '"soon"'],
      [86_400_001, '86400001'],
      [true, 'true'],
    ] as const) {
      const error = failure(() => writeSettings({ batchTimeoutMs: value }, t));
      assert.equal(error.code, 'WRITE_SETTING_INVALID');
      assert.equal(error.message, `pg2graph-write setting "batchTimeoutMs" must be an integer from 1 to 86400000, got ${shown}`);
      assert.deepEqual(error.details, { setting: 'batchTimeoutMs', value });
    }
    assert.equal(writeSettings({ batchTimeoutMs: '2500' }, t).batchTimeoutMs, 2500);
    assert.equal(writeSettings({ batchTimeoutMs: '' }, t).batchTimeoutMs, 60_000, 'an empty field is the default');
  });

  it('pg schema settings: type policies that are not JSON or not an object, msg.schemas that is not a list', () => {
    const t = translator('pg2graph-schema');
    const notJson = failure(() => schemaSettings({ typePolicies: '{numeric' }, t));
    assert.equal(notJson.code, 'SETTING_INVALID');
    assert.match(notJson.message, /^the "typePolicies" setting is not valid JSON: \S/);
    const notObject = failure(() => schemaSettings({ typePolicies: '["numeric"]' }, t));
    assert.equal(notObject.code, 'SETTING_INVALID');
    assert.equal(notObject.message, 'the "typePolicies" setting must be a JSON object such as {"numeric": {"as": "float"}}');
    const schemas = failure(() => schemaSettings({}, t, 'public'));
    assert.equal(schemas.code, 'INPUT_INVALID');
    assert.equal(schemas.message, 'msg.schemas must be a non-empty list of schema names, e.g. ["public", "sales"]');
    assert.deepEqual(schemaSettings({ schemas: 'public' }, t, ['Sales']).schemas, ['Sales']);
  });

  it('graph export settings: the directory required (relative: under the user directory), a format of the list, a one-character delimiter', () => {
    const t = translator('pg2graph-export');
    const noDir = failure(() => exportSettings({ dir: '  ', format: 'jsonl' }, '/srv/nr', t));
    assert.equal(noDir.code, 'EXPORT_SETTING_INVALID');
    assert.equal(noDir.message, 'pg2graph-export setting "dir" (Directory) is required: the directory the export is written to');
    assert.deepEqual(noDir.details, { setting: 'dir' });
    const format = failure(() => exportSettings({ dir: 'x', format: 'csv' }, '/srv/nr', t));
    assert.equal(format.code, 'EXPORT_SETTING_INVALID');
    assert.equal(format.message, `pg2graph-export setting "format" must be one of ${EXPORT_FORMATS.join(', ')}; got "csv"`);
    const delimiter = failure(() => exportSettings({ dir: 'x', format: 'neo4j-admin', arrayDelimiter: ';;' }, '/srv/nr', t));
    assert.equal(delimiter.message, 'pg2graph-export setting "arrayDelimiter" must be one character, got ";;"');
    assert.deepEqual(exportSettings({ dir: 'exports/a', format: '', gzip: true, overwrite: 'true', arrayDelimiter: '|' }, '/srv/nr', t), {
      dir: path.resolve('/srv/nr', 'exports/a'),
      format: 'neo4j-admin',
      gzip: true,
      overwrite: true,
      arrayDelimiter: '|',
    });
    assert.deepEqual(exportSettings({ dir: '/data/set', format: 'jsonl', arrayDelimiter: '|' }, '/srv/nr', t), {
      dir: path.resolve('/data/set'),
      format: 'jsonl',
      gzip: false,
      overwrite: false,
    });
  });

  it('graph export: every catalog key its adapter uses is there, and the editor offers every export format', () => {
    const source = fs.readFileSync(path.resolve(__dirname, '..', '..', 'nodes', 'pg2graph-export.ts'), 'utf8');
    const keys = new Set([...source.matchAll(/text\('([\w.]+)'/g)].map((m) => m[1]));
    assert.ok(keys.size >= 10, `keys found (${keys.size})`);
    for (const key of [...keys, 'errors.runStartWithoutPlan', 'errors.planChanged', 'errors.controlInvalid']) assert.ok(lookup('pg2graph-export', key));
    const editor = fs.readFileSync(path.resolve(__dirname, '..', '..', 'nodes', 'pg2graph-export.html'), 'utf8');
    const offered = JSON.parse((/var FORMATS = (\[[^\]]*\]);/.exec(editor)?.[1] ?? '[]').replace(/'/g, '"')) as string[];
    assert.deepEqual(offered, [...EXPORT_FORMATS]);
    for (const name of EXPORT_FORMATS) assert.ok(lookup('pg2graph-export', `format.${name}`));
  });

  it('the keys the other adapters use are in their catalogs', () => {
    assert.equal(
      translator('pg2graph-to-node')('errors.settingNotJson', { setting: 'rules', message: 'Unexpected token' }),
      'setting "rules" is not valid JSON: Unexpected token',
    );
    for (const type of ['pg2graph-postgres', 'pg2graph-neo4j']) assert.ok(lookup(type, 'errors.testFailed'));
  });
});
