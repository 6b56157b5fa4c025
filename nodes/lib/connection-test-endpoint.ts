import { redact } from '../../engine/connect';
import { isPg2GraphError, messageOf, type ErrorCode } from '../../engine/core';
import type { AdminRequest, AdminResponse, NodeRedApi } from './red';

/** The editor sends this placeholder for a password field the user did not touch. */
const UNCHANGED_PASSWORD = '__PWRD__';

export interface TestableConnection {
  check(): Promise<unknown>;
  close(): Promise<void>;
}

type TestAnswer = { ok: true; server: string } | { ok: false; code: ErrorCode; message: string };

export interface ConnectionForm {
  fields: Record<string, unknown>;
  user: string | undefined;
  password: string | undefined;
}

/**
 * Registers POST /<type>/test: tries the settings currently in the edit dialog (falling back to the stored
 * credentials when the password was not retyped) and answers { ok, server } or { ok, code, message }.
 * The editor permission `<type>.write` is required; the password is never part of the answer.
 */
export function registerConnectionTest(
  RED: NodeRedApi,
  type: string,
  open: (form: ConnectionForm) => TestableConnection,
  describe: (info: unknown) => string,
): void {
  RED.httpAdmin.post(`/${type}/test`, RED.auth.needsPermission(`${type}.write`), (req: AdminRequest, res: AdminResponse) => {
    const body = req.body ?? {};
    const stored = typeof body.id === 'string' ? (RED.nodes.getCredentials(body.id) ?? {}) : {};
    const typedPassword = typeof body.password === 'string' ? body.password : undefined;
    const password = typedPassword === undefined || typedPassword === UNCHANGED_PASSWORD ? stored.password : typedPassword;
    const user = typeof body.user === 'string' && body.user !== '' ? body.user : stored.user;
    const answer = async (): Promise<TestAnswer> => {
      let connection: TestableConnection | undefined;
      try {
        connection = open({ fields: body, user, password });
        const info = await connection.check();
        return { ok: true, server: describe(info) };
      } catch (error) {
        return {
          ok: false,
          code: isPg2GraphError(error) ? error.code : 'UNKNOWN',
          message: redact(messageOf(error), [password]),
        };
      } finally {
        await connection?.close().catch(() => undefined);
      }
    };
    const failed: TestAnswer = { ok: false, code: 'UNKNOWN', message: RED._(`${type}.errors.testFailed`) };
    answer().then(
      (result) => res.json(result),
      () => res.status(500).json(failed),
    );
  });
}
