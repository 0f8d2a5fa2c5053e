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
} as const;

export type Subject = (typeof Subjects)[keyof typeof Subjects];

export const allSubjects: readonly Subject[] = Object.values(Subjects);
