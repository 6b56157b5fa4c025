/**
 * Removes secrets from text before it reaches a log, a status, an error message or an HTTP response.
 * Drivers sometimes echo what they were given (a connection string, a URI with user info).
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 1) result = result.split(secret).join('***');
  }
  // user:password@ in any URL-looking text
  return result.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*):[^@\s/]*@/gi, '$1:***@');
}
