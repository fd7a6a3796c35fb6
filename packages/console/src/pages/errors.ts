import type { TFunction } from 'i18next';
import { ApiError } from '../api.ts';

/** A message for an API failure: the translated text of its code when there is one, else the gateway's message. */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    const key = `errors.codes.${err.code}`;
    const translated = t(key);
    return translated === key ? `${err.message} (${err.code})` : translated;
  }
  return err instanceof Error ? err.message : String(err);
}
