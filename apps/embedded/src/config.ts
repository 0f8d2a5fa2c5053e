import { envVar } from '@ticketing/common';
import { z } from 'zod';

/** The embedded mode needs no setting at all; these only move it elsewhere. */
export const embeddedSettings = {
  PORT: envVar.port(3000),
  METRICS_PORT: envVar
    .port(9464)
    .describe("operators' port on HOST: /metrics and the detailed /readyz (0: any free port)"),
  HOST: z
    .string()
    .default('127.0.0.1')
    .describe('interface to listen on; 0.0.0.0 opens it to the network'),
  TRUST_PROXY: z
    .string()
    .optional()
    .describe('proxies that may set X-Forwarded-For (express "trust proxy"); unset: none'),
  SMTP_URL: z
    .string()
    .optional()
    .describe('SMTP server for mail; unset: .eml files in DATA_DIR/mail'),
  DATA_DIR: z.string().default('./data').describe('folder of the embedded databases'),
  JWT_KEY: envVar
    .jwtKey()
    .optional()
    .describe('session signing secret; generated and kept in DATA_DIR when unset'),
};
