import { runService } from './standalone-services.js';

// The payments service as its own process (its container runs this): the settings it reads and
// the adapters it is given are in standalone-services.ts.
await runService('payments');
