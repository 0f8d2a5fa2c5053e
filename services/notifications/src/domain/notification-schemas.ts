import { z } from 'zod';
import { limitDocs, offsetDocs } from '@ticketing/common';
import { NOTIFICATION_KINDS, type NotificationRecord } from '../data/notification-repository.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;
/** Ids one POST /api/notifications/read may name. */
export const MAX_IDS = 100;

const single = (name: string) => z.string({ message: `${name} must be given once, as text` });

/** A whole number in [min, max] in plain digits: `1e2`, `-1`, `1.5` and `abc` are refused. */
const wholeNumber = (name: string, min: number, max: number, message: string) =>
  single(name)
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));

export const listNotificationsQuery = z.object({
  limit: wholeNumber(
    'Limit',
    1,
    MAX_PAGE_SIZE,
    `Limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
  )
    .default(DEFAULT_PAGE_SIZE)
    .meta(limitDocs),
  offset: wholeNumber(
    'Offset',
    0,
    Number.MAX_SAFE_INTEGER,
    'Offset must be a whole number of 0 or more',
  )
    .default(0)
    .meta(offsetDocs),
  unread: single('unread')
    .pipe(z.enum(['true', 'false'], { message: 'unread must be true or false' }))
    .transform((v) => v === 'true')
    .default(false)
    .meta({ type: 'boolean', default: false, description: '`true` for unread notifications only' }),
});

const uuid = z
  .string({ message: 'Each id must be a notification id' })
  .pipe(z.guid({ message: 'Each id must be a notification id' }))
  .transform((id) => id.toLowerCase());

/** `{ids: [...]}` (1 to 100 ids) or `{all: true}`, not both. */
export const markReadBody = z
  .strictObject(
    {
      ids: z
        .array(uuid, { message: 'ids must be an array of notification ids' })
        .min(1, 'ids must name at least one notification')
        .max(MAX_IDS, `ids may name at most ${MAX_IDS} notifications`)
        .optional(),
      all: z.literal(true, { message: 'all must be true' }).optional(),
    },
    { message: 'Give either ids or all: true' },
  )
  .refine((body) => (body.ids === undefined) !== (body.all === undefined), {
    message: `Give either ids (at most ${MAX_IDS} notification ids) or all: true`,
  })
  .transform((body) => (body.all ? { all: true as const } : { ids: body.ids! }))
  .meta({
    description: `Either \`ids\` (1 to ${MAX_IDS} notification ids) or \`all: true\`, not both`,
  });

export type MarkReadInput = z.infer<typeof markReadBody>;

export const publicNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable().meta({ description: 'A path of the storefront it is about' }),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });

export type PublicNotification = z.infer<typeof publicNotificationSchema>;

/** The answer of `POST /api/notifications/read`, and part of the list's. */
export const unreadCountSchema = z
  .object({ unread: z.number().int().meta({ description: 'How many are unread in all' }) })
  .meta({ id: 'UnreadCount' });

/** The answer of `GET /api/notifications`: a page, newest first, and the unread count. */
export const notificationsPageSchema = unreadCountSchema
  .extend({ items: z.array(publicNotificationSchema) })
  .meta({ id: 'NotificationsPage' });

export const toPublicNotification = (n: NotificationRecord): PublicNotification => ({
  id: n.id,
  kind: n.kind,
  title: n.title,
  body: n.body,
  link: n.link,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});
