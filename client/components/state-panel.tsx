const panelTones = {
  success: 'border-emerald-200 bg-emerald-50 text-emerald-950 [&>svg]:text-emerald-600',
  info: 'border-sky-200 bg-sky-50 text-sky-950 [&>svg]:text-sky-600',
  neutral: 'border-slate-200 bg-white text-slate-900 [&>svg]:text-slate-500',
};

/** A big icon, a heading and a few lines: what became of an order. */
export function StatePanel({
  tone,
  icon,
  title,
  headingRef,
  children,
}: {
  tone: keyof typeof panelTones;
  icon: React.ReactNode;
  title: string;
  /** Focused when the result changes after the buyer acted (tabIndex -1: not a tab stop). */
  headingRef: React.Ref<HTMLHeadingElement>;
  children: React.ReactNode;
}) {
  return (
    <section className={`flex gap-4 rounded-2xl border p-5 sm:p-6 ${panelTones[tone]}`}>
      {icon}
      <div className="min-w-0 flex-1">
        <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold">
          {title}
        </h2>
        <div className="mt-1 leading-relaxed opacity-90">{children}</div>
      </div>
    </section>
  );
}
