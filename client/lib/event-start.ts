const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The date and time inputs' values ("2027-06-05", "19:30") for an instant, in the browser's
 * time zone.
 */
export function localDateAndTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}

/**
 * The date and time typed, read in the browser's time zone and sent as UTC (ISO-8601); half a
 * date, or one that is no date, is sent as it is, for the API's own message.
 */
export function startsAtFrom(date: string, time: string): string {
  if (!date || !time) return `${date}${time ? `T${time}` : ''}`;
  const at = new Date(`${date}T${time}`);
  return Number.isNaN(at.getTime()) ? `${date}T${time}` : at.toISOString();
}
