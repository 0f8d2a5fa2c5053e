import { Publisher, Subjects } from '@ticketing/common';

export class ChargeCreatedPublisher extends Publisher<typeof Subjects.ChargeCreated> {
  readonly subject = Subjects.ChargeCreated;
}
