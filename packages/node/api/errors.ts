/**
 * Maps every failure to the one JSON error shape {code, message, details?} with a status from its class, so a
 * client never sees a bare stack, an HTML page or a status without a reason.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GovchainError } from '@govchain/base';

interface Logger {
  error(obj: object, msg: string): void;
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return details === undefined ? { code, message } : { code, message, details };
}

export function toHttpError(err: unknown): { status: number; body: Record<string, unknown> } | null {
  if (err instanceof GovchainError) return { status: err.httpStatus, body: errorBody(err.code, err.message, err.details) };
  const fe = err as Partial<FastifyError> & { validation?: unknown[] };
  if (fe.validation !== undefined) {
    return { status: 400, body: errorBody('REQUEST_INVALID', `request ${fe.validationContext ?? ''} ${fe.message ?? ''}`.replace(/\s+/g, ' ').trim()) };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: errorBody('REQUEST_TOO_LARGE', 'the request body exceeds the size this route accepts') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: errorBody('UNSUPPORTED_MEDIA_TYPE', 'send application/json (or application/octet-stream where documented)') };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: errorBody('REQUEST_INVALID_JSON', 'the JSON body is empty') };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: errorBody('REQUEST_INVALID', 'the Content-Length header does not match the body') };
  }
  if (err instanceof SyntaxError || fe.statusCode === 400) {
    return { status: 400, body: errorBody('REQUEST_INVALID_JSON', `the body is not valid JSON: ${fe.message ?? ''}`) };
  }
  return null;
}

export function makeErrorHandler(log: Logger) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const mapped = toHttpError(err);
    const retryAfter = err instanceof GovchainError ? err.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    if (mapped !== null) {
      void reply.status(mapped.status).send(mapped.body);
      return;
    }
    log.error({ err, url: request.url, method: request.method }, 'unhandled API error');
    void reply.status(500).send(errorBody('INTERNAL', 'the node failed to handle this request; the error was logged'));
  };
}
