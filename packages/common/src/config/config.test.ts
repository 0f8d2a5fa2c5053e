import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envVar, loadConfig } from './config.js';

const settings = {
  PORT: envVar.port(3000),
  JWT_KEY: envVar.jwtKey(),
  COOKIE_SECURE: envVar.boolean(true),
  NATS_URL: envVar.url(['nats']).describe('NATS server'),
  NAME: z.string().default('x'),
};

describe('loadConfig', () => {
  it('when values are valid, then they are typed and defaults filled', () => {
    const config = loadConfig(settings, {
      PORT: '8080',
      JWT_KEY: 'k'.repeat(32),
      COOKIE_SECURE: 'false',
      NATS_URL: 'nats://localhost:4222',
    });
    expect(config).toEqual({
      PORT: 8080,
      JWT_KEY: 'k'.repeat(32),
      COOKIE_SECURE: false,
      NATS_URL: 'nats://localhost:4222',
      NAME: 'x',
    });
  });

  it('when variables are missing or bad, then one error names every one of them', () => {
    const error = (() => {
      try {
        loadConfig(settings, {
          PORT: 'eighty',
          JWT_KEY: 'short',
          COOKIE_SECURE: 'maybe',
          NATS_URL: '',
        });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    const text = error.message;
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/JWT_KEY .*at least 32/);
    expect(text).toMatch(/COOKIE_SECURE.*true or false/);
    expect(text).toMatch(/NATS_URL \(NATS server\): is required/);
    expect(error.problems).toHaveLength(4);
  });
});
