import { Notice } from './alerts';

/** Said at the top of a payment form when the card was declined: nothing lost, try again. */
export function PaymentDeclined({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Notice tone="error" role="alert" title="Payment declined">
      {message} Nothing was charged, and the ticket stays reserved for you: try another card.
    </Notice>
  );
}
