import type { Service, ServiceDeps } from '@ticketing/common';
import type { z } from 'zod';
import { paymentProviderFrom, paymentProviderSettings } from './payment-provider.js';
import { runStandalone } from './run-standalone.js';
import {
  bullMqSchedulerOf,
  expirationSchedulerSettings,
  reminderSchedulerSettings,
} from './schedulers.js';

/**
 * One service as its standalone process runs it: the settings it reads (its own and those of the
 * adapters chosen for it) and how it is built on the database and bus `runStandalone` opens, with
 * those adapters.
 */
export interface StandaloneService<S extends z.ZodRawShape> {
  settings: S;
  create(deps: ServiceDeps, config: z.infer<z.ZodObject<S>>): Promise<Service>;
}

const standalone = <S extends z.ZodRawShape>(service: StandaloneService<S>) => service;

/**
 * Every service that runs as its own process, and the adapters this host chooses for it beside
 * PostgreSQL and NATS: BullMQ for the schedulers, Stripe or the sandbox for payments. Each entry
 * loads only its own service, so a process holds one service's code.
 */
export const standaloneServices = {
  auth: async () => {
    const { authSettings, createAuthService } = await import('@ticketing/auth');
    return standalone({ settings: authSettings, create: createAuthService });
  },
  tickets: async () => {
    const { ticketsSettings, createTicketsService } = await import('@ticketing/tickets');
    return standalone({ settings: ticketsSettings, create: createTicketsService });
  },
  orders: async () => {
    const { ordersSettings, createOrdersService } = await import('@ticketing/orders');
    return standalone({ settings: ordersSettings, create: createOrdersService });
  },
  payments: async () => {
    const { paymentsSettings, createPaymentsService } = await import('@ticketing/payments');
    return standalone({
      settings: { ...paymentsSettings, ...paymentProviderSettings },
      create: async (deps, config) =>
        createPaymentsService(
          { ...deps, paymentProvider: await paymentProviderFrom(config) },
          config,
        ),
    });
  },
  expiration: async () => {
    const { expirationSettings, createExpirationService } = await import('@ticketing/expiration');
    return standalone({
      settings: { ...expirationSettings, ...expirationSchedulerSettings },
      create: (deps, config) =>
        createExpirationService(
          {
            ...deps,
            scheduler: bullMqSchedulerOf({
              url: config.REDIS_URL,
              queueName: config.EXPIRATION_QUEUE,
              prefix: config.BULLMQ_PREFIX,
            }),
          },
          config,
        ),
    });
  },
  notifications: async () => {
    const { notificationsSettings, createNotificationsService } =
      await import('@ticketing/notifications');
    return standalone({
      settings: { ...notificationsSettings, ...reminderSchedulerSettings },
      create: (deps, config) =>
        createNotificationsService(
          {
            ...deps,
            scheduler: bullMqSchedulerOf({
              url: config.REDIS_URL,
              queueName: config.REMINDER_QUEUE,
              prefix: config.BULLMQ_PREFIX,
            }),
          },
          config,
        ),
    });
  },
};

export type StandaloneServiceName = keyof typeof standaloneServices;

/** Runs service `name` as this process (see `runStandalone`). */
export async function runService(name: StandaloneServiceName): Promise<void> {
  const service = (await standaloneServices[name]()) as unknown as StandaloneService<z.ZodRawShape>;
  await runStandalone(name, service.settings, service.create);
}
