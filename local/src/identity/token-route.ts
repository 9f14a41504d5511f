/**
 * `POST /local-auth/token` on `npm start`'s server: a ready access token for one of the printed local accounts
 * (`{ "username": "reader" }` or `"librarian"`, or the account's e-mail), as the hosted sign-in would give after a
 * password. Local only: the CDK app has no such route; in AWS tokens come from Cognito's hosted sign-in (PKCE).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { localAccounts, type LocalAccount, type TokenIssuer } from './token-issuer';

export const localTokenPath = '/local-auth/token';

const requestSchema = z.object({ username: z.string().min(1).max(128) });

export function findLocalAccount(username: string): LocalAccount | undefined {
  return Object.entries(localAccounts).find(
    ([name, account]) => name === username || account.username === username,
  )?.[1];
}

export async function handleLocalTokenRequest(
  request: IncomingMessage,
  response: ServerResponse,
  issuer: TokenIssuer,
): Promise<void> {
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  if (request.method !== 'POST') return reply(405, { message: 'POST { "username": "reader" | "librarian" }' });
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  let parsed: z.infer<typeof requestSchema> | undefined;
  try {
    parsed = requestSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
  } catch {
    return reply(400, { message: 'The body must be { "username": "reader" | "librarian" }' });
  }
  const account = findLocalAccount(parsed.username);
  if (!account) return reply(404, { message: `No local account "${parsed.username}"` });
  const expiresIn = 3600;
  const token = await issuer.issue({ sub: account.sub, username: account.username, groups: account.groups });
  return reply(200, {
    access_token: token,
    token_type: 'Bearer',
    expires_in: expiresIn,
    sub: account.sub,
    username: account.username,
    groups: account.groups,
  });
}
