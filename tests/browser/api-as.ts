import { expect } from 'vitest';

/** Someone the browser suites act as: their session cookie once signed up or in. */
export interface Person {
  name: string;
  email: string;
  cookie: string;
}

export const PASSWORD = 'correct-horse-battery';

export interface ApiAnswer<T> {
  status: number;
  data: T;
  /** The cookies the answer set, as a `Cookie` header (`name=value; …`). */
  cookie: string;
}

/**
 * The app's JSON API as a person (their cookie) or anonymously (`null`), for the set-up and the
 * checks around what the browser does. `origin` is read at each call: the app starts in the
 * suite's `beforeAll`.
 *
 * `signUp` signs the person up with `password` (default PASSWORD), expects 201 and keeps their
 * cookie on `person`.
 */
export function apiAs(origin: () => string) {
  async function api<T = unknown>(
    person: Pick<Person, 'cookie'> | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer<T>> {
    const response = await fetch(`${origin()}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(person?.cookie ? { cookie: person.cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { status: response.status, data: (await response.json()) as T, cookie };
  }

  async function signUp(person: Person, password = PASSWORD): Promise<void> {
    const { status, cookie } = await api(null, 'POST', '/api/users/signup', {
      name: person.name,
      email: person.email,
      password,
    });
    expect(status).toBe(201);
    person.cookie = cookie;
  }

  return { api, signUp };
}
