import { describe, expect, it } from 'vitest';
import { AppError, errorCodes, httpStatusByErrorCode } from './errors.js';

describe('AppError', () => {
  it('travels as the API body and comes back the same from it', () => {
    const sent = new AppError('VALIDATION_FAILED', 'Some settings are not valid', {
      fields: { 'settings.subdomain': ['Letters, digits and dashes'] },
      details: { reason: 'example' },
    });
    const wire: unknown = JSON.parse(JSON.stringify(sent.toBody()));
    expect(wire).toEqual({ code: 'VALIDATION_FAILED', message: 'Some settings are not valid', fields: { 'settings.subdomain': ['Letters, digits and dashes'] }, details: { reason: 'example' } });
    const back = AppError.parseBody(wire);
    expect(back).toBeInstanceOf(AppError);
    expect(back).toMatchObject({ code: sent.code, message: sent.message, fields: sent.fields, details: sent.details, retryAfterSeconds: undefined });
  });

  it('leaves absent parts out of the body, so the REST shape stays {code, message}', () => {
    expect(new AppError('NOT_FOUND', 'No webhook is set').toBody()).toStrictEqual({ code: 'NOT_FOUND', message: 'No webhook is set' });
  });

  it('reads the retry delay that travels beside the body in a tRPC error', () => {
    const data = { code: 'TOO_MANY_REQUESTS', httpStatus: 429, error: { code: 'RATE_LIMITED', message: 'Too many sign-in attempts' }, retryAfterSeconds: 42 };
    expect(AppError.fromTrpcData(data)).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many sign-in attempts', retryAfterSeconds: 42 });
  });

  it('is not made up from something that is not one of our error bodies', () => {
    expect(AppError.parseBody({ code: 'TEAPOT', message: 'short and stout' })).toBeNull();
    expect(AppError.parseBody({ code: 'NOT_FOUND' })).toBeNull();
    expect(AppError.parseBody('<html>Bad gateway</html>')).toBeNull();
    expect(AppError.fromTrpcData({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 })).toBeNull();
    expect(AppError.fromTrpcData(undefined)).toBeNull();
  });

  it('has the HTTP status its code is declared with, for every code', () => {
    for (const code of errorCodes) expect(new AppError(code, 'x').httpStatus).toBe(httpStatusByErrorCode[code]);
    expect(new AppError('CONFLICT', 'x').httpStatus).toBe(409);
  });
});
