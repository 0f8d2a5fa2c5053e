// `npm run openapi`: writes the HTTP API's OpenAPI document, built from the services' own
// descriptions (their `routes/*-api-docs.ts`), to client/lib/openapi.json. The storefront serves
// that copy at /api/openapi.json where no host holds the services (the local gateway, Kubernetes),
// and it is the contract's machine-readable form in the repository: a change of the API shows in
// the diff. tests/contract/openapi.test.ts fails while the copy differs from what the services
// describe (docs/decisions/0030-openapi-document.md). Run after `tsc -b`: it reads the built code.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { describeUsersApi } from '@ticketing/auth';
import { buildOpenApiDocument } from '@ticketing/common';
import { describeNotificationsApi } from '@ticketing/notifications';
import { describeOrdersApi } from '@ticketing/orders';
import { describePaymentsApi } from '@ticketing/payments';
import { describeTicketsApi } from '@ticketing/tickets';

const target = fileURLToPath(new URL('../client/lib/openapi.json', import.meta.url));
const document = buildOpenApiDocument([
  describeUsersApi,
  describeTicketsApi,
  describeOrdersApi,
  describePaymentsApi,
  describeNotificationsApi,
]);
const text = await prettier.format(JSON.stringify(document), {
  ...(await prettier.resolveConfig(target)),
  filepath: target,
});
await writeFile(target, text);
console.log(`wrote ${target}`);
