/**
 * Every route of API.md v2 the services serve, as data: the fuzz test and the authorization
 * matrix walk this one list, so a route added here is covered by both. The OpenAPI test
 * (tests/contract/openapi.test.ts) holds it to the services' own description of their routes.
 */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `:id` where the route takes a path id. */
  path: string;
  /** Who may call it: anyone, a signed-in user, or an administrator. */
  access: 'anyone' | 'user' | 'admin';
  /** Body fields it reads (state-changing routes). */
  body?: string[];
  /** Query parameters it reads. */
  query?: string[];
}

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/users/signup',
    access: 'anyone',
    body: ['email', 'password', 'name', 'phone'],
  },
  { method: 'POST', path: '/api/users/signin', access: 'anyone', body: ['email', 'password'] },
  { method: 'POST', path: '/api/users/signout', access: 'anyone' },
  { method: 'GET', path: '/api/users/currentuser', access: 'anyone' },
  { method: 'PATCH', path: '/api/users/currentuser', access: 'user', body: ['name', 'phone'] },
  {
    method: 'PUT',
    path: '/api/users/currentuser/password',
    access: 'user',
    body: ['currentPassword', 'newPassword'],
  },
  { method: 'POST', path: '/api/users/signout-all', access: 'user' },
  { method: 'POST', path: '/api/users/password-reset', access: 'anyone', body: ['email'] },
  {
    method: 'POST',
    path: '/api/users/password-reset/confirm',
    access: 'anyone',
    body: ['token', 'password'],
  },
  { method: 'GET', path: '/api/users', access: 'admin', query: ['email'] },
  { method: 'POST', path: '/api/users/:id/suspension', access: 'admin', body: ['reason'] },
  { method: 'DELETE', path: '/api/users/:id/suspension', access: 'admin' },
  {
    method: 'POST',
    path: '/api/tickets',
    access: 'user',
    body: ['title', 'price', 'description', 'venue', 'startsAt', 'code'],
  },
  {
    method: 'GET',
    path: '/api/tickets',
    access: 'anyone',
    query: ['limit', 'offset', 'q', 'userId', 'from', 'to', 'minPrice', 'maxPrice', 'sort'],
  },
  { method: 'GET', path: '/api/tickets/:id', access: 'anyone' },
  {
    method: 'PUT',
    path: '/api/tickets/:id',
    access: 'user',
    body: ['title', 'price', 'description', 'venue', 'startsAt', 'code'],
  },
  { method: 'DELETE', path: '/api/tickets/:id', access: 'user' },
  { method: 'GET', path: '/api/sales', access: 'user', query: ['limit', 'offset'] },
  { method: 'POST', path: '/api/orders', access: 'user', body: ['ticketId'] },
  { method: 'GET', path: '/api/orders', access: 'user', query: ['limit', 'offset'] },
  { method: 'GET', path: '/api/orders/:id', access: 'user' },
  { method: 'DELETE', path: '/api/orders/:id', access: 'user' },
  { method: 'POST', path: '/api/payments', access: 'user', body: ['orderId', 'token'] },
  { method: 'GET', path: '/api/payments', access: 'user', query: ['orderId'] },
  {
    method: 'GET',
    path: '/api/notifications',
    access: 'user',
    query: ['limit', 'offset', 'unread'],
  },
  { method: 'POST', path: '/api/notifications/read', access: 'user', body: ['ids', 'all'] },
];

/** The API's error shape (API.md Conventions): `{errors: [{message, field?}, ...]}`, non-empty. */
export function isErrorShape(body: unknown): boolean {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as { message?: unknown }).message === 'string' &&
        Object.keys(e).every((k) => k === 'message' || k === 'field') &&
        ((e as { field?: unknown }).field === undefined ||
          typeof (e as { field?: unknown }).field === 'string'),
    )
  );
}
