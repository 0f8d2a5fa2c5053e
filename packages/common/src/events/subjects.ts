/** Every event subject of the system, in one place. */
export const Subjects = {
  UserCreated: 'user:created',
  UserUpdated: 'user:updated',
  TicketCreated: 'ticket:created',
  TicketUpdated: 'ticket:updated',
  OrderCreated: 'order:created',
  OrderCancelled: 'order:cancelled',
  OrderCompleted: 'order:completed',
  OrderExpired: 'order:expired',
  ChargeCreated: 'charge:created',
  /** Auth ended one session, or every session of a user issued before a moment. */
  SessionRevoked: 'session:revoked',
  UserSuspended: 'user:suspended',
  UserReinstated: 'user:reinstated',
} as const;

export type Subject = (typeof Subjects)[keyof typeof Subjects];

export const allSubjects: readonly Subject[] = Object.values(Subjects);
