import 'reflect-metadata';
import { validateEnv } from './env.validation';

describe('validateEnv: on/off knobs', () => {
  it.each([
    ['false', false],
    ['0', false],
    ['off', false],
    ['NO', false],
    ['true', true],
    ['1', true],
    ['on', true],
  ])('reads %s as %s', (text, expected) => {
    const env = validateEnv({ DEMO_DATA: text, DB_MIGRATIONS_RUN: text });
    expect(env.DEMO_DATA).toBe(expected);
    expect(env.DB_MIGRATIONS_RUN).toBe(expected);
  });

  it('keeps the defaults when the variables are unset', () => {
    const env = validateEnv({});
    expect(env.DEMO_DATA).toBe(true);
    expect(env.DB_MIGRATIONS_RUN).toBe(true);
  });
});
