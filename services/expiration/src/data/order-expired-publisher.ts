import { Publisher, Subjects } from '@ticketing/common';

export class OrderExpiredPublisher extends Publisher<typeof Subjects.OrderExpired> {
  readonly subject = Subjects.OrderExpired;
}
