const STEPS = [
  {
    title: "Your HR system says Dana starts on Monday",
    body: "A signed webhook arrives. OfficeFlow verifies it, stores it, drops duplicates and turns it into an employee.onboard event.",
  },
  {
    title: "Her onboarding workflow runs, step by step",
    body: "Accounts, groups, a personalised welcome, a Slack post, first-week meetings and a manager approval. Each step is retried on failure and never repeated once it succeeds.",
  },
  {
    title: "Everyone can see what happened",
    body: "HR and IT follow the run timeline as it fills in. Auditors get the input, output and attempts of every step, and a log of who changed what.",
  },
] as const;

export function HowItWorks() {
  return (
    <section id="how-it-works" aria-labelledby="how-heading" className="border-y bg-muted/40">
      <div className="mx-auto max-w-6xl px-6 py-20">
        <div className="max-w-2xl space-y-3">
          <p className="text-sm font-semibold text-primary">How it works</p>
          <h2 id="how-heading" className="text-3xl font-semibold tracking-tight">
            From HR event to finished checklist, without a ticket
          </h2>
        </div>
        <ol className="mt-12 grid gap-8 md:grid-cols-3">
          {STEPS.map((step, index) => (
            <li key={step.title} className="space-y-3">
              <span className="flex size-8 items-center justify-center rounded-full bg-primary text-sm font-semibold text-primary-foreground">
                {index + 1}
              </span>
              <h3 className="font-semibold">{step.title}</h3>
              <p className="text-sm leading-relaxed text-muted-foreground">{step.body}</p>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
