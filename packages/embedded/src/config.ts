import { envVar } from '@ticketing/common';
import { z } from 'zod';

/** The embedded mode needs no setting at all; these only move it elsewhere. */
export const embeddedSettings = {
  PORT: envVar.port(3000),
  HOST: z.string().default('0.0.0.0').describe('interface to listen on'),
  DATA_DIR: z.string().default('./data').describe('folder of the embedded databases'),
  JWT_KEY: envVar
    .jwtKey()
    .optional()
    .describe('session signing secret; generated and kept in DATA_DIR when unset'),
};
