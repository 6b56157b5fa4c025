/**
 * Removes secrets from text before it reaches a log, a status, an error message or an HTTP response.
 * Drivers sometimes echo what they were given (a connection string, a URI with user info or ?password=).
 */

/** Query parameters that carry a secret in libpq URLs and the ones users try on Bolt URIs. */
const SECRET_NAMES = 'password|passwd|pwd|pass|sslpassword|secret|token|credentials|auth';
const SECRET_PARAMETER = new RegExp(`([?&;](?:${SECRET_NAMES})=)[^&;\\s#]*`, 'gi');

/** Whether a URL's query (`url.search`) holds a parameter that carries a secret. */
export function hasSecretParameter(search: string): boolean {
  return new RegExp(`[?&;](?:${SECRET_NAMES})=`, 'i').test(search);
}

export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 1) result = result.split(secret).join('***');
  }
  // user:password@ in any URL-looking text, and secret query parameters
  return result.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*):[^@\s/]*@/gi, '$1:***@').replace(SECRET_PARAMETER, '$1***');
}

/**
 * A URI as we print it (messages, `pg2graph check`): the password of its user info and the value of every query
 * parameter replaced by ***, since any of them may be a secret; scheme, user, host, port and path stay readable.
 */
export function redactUri(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    for (const key of new Set(url.searchParams.keys())) url.searchParams.set(key, '***');
    return url.toString();
  } catch {
    return redact(text, []);
  }
}
