import { Publisher, Subjects } from '@ticketing/common';

export class UserCreatedPublisher extends Publisher<typeof Subjects.UserCreated> {
  readonly subject = Subjects.UserCreated;
}

export class UserUpdatedPublisher extends Publisher<typeof Subjects.UserUpdated> {
  readonly subject = Subjects.UserUpdated;
}

export class UserSuspendedPublisher extends Publisher<typeof Subjects.UserSuspended> {
  readonly subject = Subjects.UserSuspended;
}

export class UserReinstatedPublisher extends Publisher<typeof Subjects.UserReinstated> {
  readonly subject = Subjects.UserReinstated;
}
