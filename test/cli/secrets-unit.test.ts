/**
 * The command line's secret handling as pure logic: the password file's lines, the warning for a password in
 * --pg, and URIs as we print them. (test/cli/secrets.test.ts proves the same against real servers.)
 */
import assert from 'assert/strict';
import { passwordFrom } from '../../dist/cli/pgpass';
import { argvSecretWarning } from '../../dist/cli/argv-secrets';
import { redact, redactUri } from '../../dist/engine/connect/redact';

const lookup = { host: 'db.example', port: '5433', database: 'shop', user: 'app' };

describe('password file lines (PGPASSFILE, ~/.pgpass)', () => {
  it('takes the first line whose four fields match, * matching anything', () => {
    const text = ['# a comment', 'other:5433:shop:app:nope', 'db.example:*:shop:app:first', '*:*:*:*:fallback'].join('\n');
    assert.equal(passwordFrom(text, lookup), 'first');
    assert.equal(passwordFrom(text, { ...lookup, host: 'elsewhere' }), 'fallback');
  });

  it('resolves \\: and \\\\ in fields and keeps colons in the password', () => {
    assert.equal(passwordFrom('db.example:5433:shop:app:pa\\:ss\\\\word', lookup), 'pa:ss\\word');
    assert.equal(passwordFrom('db.example:5433:shop:app:a:b:c', lookup), 'a:b:c');
    assert.equal(passwordFrom('db\\:x:5433:shop:app:pw', { ...lookup, host: 'db:x' }), 'pw');
  });

  it('finds nothing in blank, malformed or non-matching lines', () => {
    assert.equal(passwordFrom('', lookup), undefined);
    assert.equal(passwordFrom('db.example:5433:shop', lookup), undefined);
    assert.equal(passwordFrom('db.example:5433:shop:someone:pw\r\n', lookup), undefined);
  });
});

describe('a password in --pg', () => {
  it('is warned about, in user info or as ?password=, with either flag form', () => {
    for (const argv of [['--plan', 'p.json', '--pg', 'postgres://app:hunter22@h/db'], ['--pg=postgres://app@h/db?password=hunter22']]) {
      const warning = argvSecretWarning(argv);
      assert.match(warning ?? '', /--pg holds a password, .*process list \(ps\).*PGPASSWORD.*PGPASSFILE/);
      assert.ok(!warning?.includes('hunter22'), 'the warning never repeats it');
    }
  });

  it('is not warned about when there is none', () => {
    assert.equal(argvSecretWarning(['--pg', 'postgres://app@h/db']), undefined);
    assert.equal(argvSecretWarning(['--neo4j-uri', 'bolt://h:7687']), undefined);
    assert.equal(argvSecretWarning(['--pg']), undefined);
  });
});

describe('URIs as we print them', () => {
  it('masks the user info password and every query value, keeping the rest readable', () => {
    assert.equal(redactUri('bolt://127.0.0.1:7687?password=hunter22'), 'bolt://127.0.0.1:7687?password=***');
    assert.equal(redactUri('neo4j://u:hunter22@h:7687/?policy=eu&token=abc'), 'neo4j://u:***@h:7687/?policy=***&token=***');
    assert.equal(redactUri('bolt://h:7687'), 'bolt://h:7687');
  });

  it('masks secret query parameters and user info in any text, also an unparsable URI', () => {
    assert.equal(redact('no server at bolt://h:1?password=hunter22 answered', []), 'no server at bolt://h:1?password=*** answered');
    assert.equal(redact('postgres://app:hunter22@h/db?sslmode=require&password=x2', []), 'postgres://app:***@h/db?sslmode=require&password=***');
    assert.equal(redactUri('bolt://[bad?pwd=hunter22'), 'bolt://[bad?pwd=***');
  });
});
