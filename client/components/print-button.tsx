'use client';

/** Opens the browser's print dialog for the page (a receipt). */
export function PrintButton() {
  return (
    <button type="button" className="btn-primary" onClick={() => window.print()}>
      Print receipt
    </button>
  );
}
