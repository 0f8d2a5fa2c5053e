import { startStorefront } from './storefront-server.js';
import { storefrontSuite } from './storefront-suite.js';

// Against `npm start`: the embedded mode, the client and the API on one port.
storefrontSuite('embedded', startStorefront);
