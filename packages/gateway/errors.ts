/** One JSON error shape {code, message, details?} for every failure of the console API, as the node API has. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { GovchainError } from '@govchain/base';

function body(code: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return details === undefined ? { code, message } : { code, message, details };
}

export function makeErrorHandler(logger: Logger) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    let status: number;
    let payload: Record<string, unknown>;
    const fe = err as Partial<FastifyError> & { validation?: unknown[] };
    if (err instanceof GovchainError) {
      status = err.httpStatus;
      payload = body(err.code, err.message, err.details);
      if (err.retryAfterSeconds !== undefined) void reply.header('retry-after', String(err.retryAfterSeconds));
    } else if (fe.validation !== undefined) {
      status = 400;
      payload = body('REQUEST_INVALID', `request ${fe.validationContext ?? ''} ${fe.message ?? ''}`.replace(/\s+/g, ' ').trim());
    } else if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413;
      payload = body('REQUEST_TOO_LARGE', 'the request body exceeds the size this route accepts');
    } else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      status = 415;
      payload = body('UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    } else if (err instanceof SyntaxError || fe.statusCode === 400) {
      status = 400;
      payload = body('REQUEST_INVALID_JSON', `the body is not valid JSON: ${fe.message ?? ''}`);
    } else {
      logger.error({ err, url: request.url, method: request.method }, 'unhandled console API error');
      status = 500;
      payload = body('INTERNAL', 'the gateway failed to handle this request; the error was logged');
    }
    request.errorCode = String(payload.code);
    void reply.status(status).send(payload);
  };
}

/** Node errors seen through the SDK keep their code; a node that cannot be reached becomes NODE_UNAVAILABLE. */
export function nodeError(err: unknown): GovchainError {
  if (err instanceof GovchainError) return err;
  return new GovchainError('NODE_UNAVAILABLE', 'unavailable', `the organization's node did not answer: ${(err as Error).message}`);
}
