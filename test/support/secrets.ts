/** Checks that a secret stays out of what a program shows. */
import assert from 'assert/strict';

/**
 * Asserts that no secret occurs in the text. Each secret must be known and non-empty: every text includes the
 * empty string, and a check with an empty secret (a trust-auth server's password) could never fail.
 */
export function assertNoSecret(text: string, secrets: ReadonlyArray<string | undefined>, message: string): void {
  for (const secret of secrets) {
    assert.ok(typeof secret === 'string' && secret.length >= 6, `${message}: the secret checked for must be known and non-empty`);
    assert.ok(!text.includes(secret), message);
  }
}
