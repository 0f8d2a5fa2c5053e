import { Publisher, Subjects } from '@ticketing/common';

export class OrderCreatedPublisher extends Publisher<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;
}

export class OrderCancelledPublisher extends Publisher<typeof Subjects.OrderCancelled> {
  readonly subject = Subjects.OrderCancelled;
}

export class OrderCompletedPublisher extends Publisher<typeof Subjects.OrderCompleted> {
  readonly subject = Subjects.OrderCompleted;
}
